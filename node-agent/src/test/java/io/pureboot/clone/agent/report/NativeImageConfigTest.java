package io.pureboot.clone.agent.report;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.pureboot.clone.nodeapi.NodeApiCall;
import io.pureboot.clone.nodeapi.NodeApiJson;
import java.io.IOException;
import java.io.InputStream;
import java.lang.reflect.RecordComponent;
import java.util.HashSet;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** The native executable binds the node API's records by reflection: each of them is registered for it. */
class NativeImageConfigTest {

    private static final String CONFIG = "/META-INF/native-image/io.pureboot.clone/node-agent/reflect-config.json";

    @Test
    void everyNodeApiTypeTheAgentBindsIsRegisteredForReflection() throws IOException {
        Set<String> registered = new HashSet<>();
        try (InputStream in = NativeImageConfigTest.class.getResourceAsStream(CONFIG)) {
            for (JsonNode entry : new ObjectMapper().readTree(in)) {
                registered.add(entry.get("name").asText());
            }
        }
        Set<String> bound = new HashSet<>();
        for (NodeApiCall call : NodeApiCall.values()) {
            collect(call.request(), bound);
            collect(call.answer(), bound);
        }

        assertThat(bound).isNotEmpty();
        assertThat(registered).containsAll(bound);
    }

    /** The type and every node-API type its record components use, by their binary names. */
    private static void collect(Class<?> type, Set<String> names) {
        if (type == null || !NodeApiJson.isNodeApiType(type) || !names.add(type.getName())) {
            return;
        }
        if (type.isRecord()) {
            for (RecordComponent component : type.getRecordComponents()) {
                collect(component.getType(), names);
            }
        }
    }
}
