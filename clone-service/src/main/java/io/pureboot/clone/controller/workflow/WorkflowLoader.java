package io.pureboot.clone.controller.workflow;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.MapperFeature;
import com.fasterxml.jackson.databind.PropertyNamingStrategies;
import com.fasterxml.jackson.databind.exc.ValueInstantiationException;
import com.fasterxml.jackson.dataformat.yaml.YAMLMapper;
import com.fasterxml.jackson.datatype.jsr310.JavaTimeModule;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** Reads {@code workflows/<mode>.yaml}: every mode's file must be there and valid, unknown keys are refused. */
public final class WorkflowLoader {

    /** The agent modes a node boots into; each has one workflow file. */
    public static final List<String> MODES = List.of("inventory", "clone-source-staged", "clone-target-staged",
            "partition", "clone-source-direct", "clone-target-direct");

    private static final YAMLMapper MAPPER = (YAMLMapper) YAMLMapper.builder()
            .propertyNamingStrategy(PropertyNamingStrategies.SNAKE_CASE)
            .enable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES)
            .enable(MapperFeature.ACCEPT_CASE_INSENSITIVE_ENUMS)
            .addModule(new JavaTimeModule())
            .build();

    private WorkflowLoader() {
    }

    /** Every mode's workflow from the directory, in {@link #MODES} order. */
    public static Map<String, Workflow> load(Path directory) {
        Map<String, Workflow> workflows = new LinkedHashMap<>();
        for (String mode : MODES) {
            workflows.put(mode, loadFile(directory.resolve(mode + ".yaml"), mode));
        }
        return Map.copyOf(workflows);
    }

    static Workflow loadFile(Path file, String mode) {
        if (!Files.isRegularFile(file)) {
            throw new WorkflowException(file, "missing (every mode needs its workflow: " + String.join(", ", MODES) + ")",
                    null);
        }
        Workflow workflow;
        try {
            workflow = MAPPER.readValue(file.toFile(), Workflow.class);
        } catch (ValueInstantiationException e) {
            Throwable reason = e.getCause() == null ? e : e.getCause();
            throw new WorkflowException(file, reason.getMessage(), e);
        } catch (JsonProcessingException e) {
            String where = e.getLocation() == null ? "" : " (line " + e.getLocation().getLineNr() + ")";
            throw new WorkflowException(file, e.getOriginalMessage() + where, e);
        } catch (IOException e) {
            throw new WorkflowException(file, "cannot read: " + e.getMessage(), e);
        }
        if (!mode.equals(workflow.mode())) {
            throw new WorkflowException(file, "mode is " + workflow.mode() + " but the file is named for " + mode, null);
        }
        return workflow;
    }
}
