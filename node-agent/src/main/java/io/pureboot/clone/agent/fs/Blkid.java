package io.pureboot.clone.agent.fs;

import io.pureboot.clone.agent.AgentException;
import io.pureboot.clone.agent.FailureKind;
import io.pureboot.clone.agent.process.CommandResult;
import io.pureboot.clone.agent.process.CommandRunner;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** Probes a device's filesystem type, label and UUID with {@code blkid -p} (low-level probing, no cache). */
public final class Blkid {

    /** What blkid found; all fields null when nothing was recognised. */
    public record Probe(String type, String label, String uuid) {
    }

    private Blkid() {
    }

    public static List<String> command(Path device) {
        return List.of("blkid", "-p", "-o", "export", device.toString());
    }

    public static Probe probe(CommandRunner runner, Path device) {
        CommandResult result = runner.run(command(device));
        // Exit code 2: nothing was identified. That is an answer, not a failure.
        if (result.exitCode() == 2) {
            return new Probe(null, null, null);
        }
        if (!result.succeeded()) {
            throw new AgentException(FailureKind.TOOL, "'" + result.commandLine() + "' exited with " + result.exitCode()
                    + ": " + result.lastErrorLine());
        }
        Map<String, String> values = parse(result.stdout());
        return new Probe(values.get("TYPE"), values.get("LABEL"), values.get("UUID"));
    }

    static Map<String, String> parse(String output) {
        Map<String, String> values = new LinkedHashMap<>();
        for (String line : output.split("\n")) {
            int equals = line.indexOf('=');
            if (equals > 0) {
                values.put(line.substring(0, equals).strip(), unescape(line.substring(equals + 1).strip()));
            }
        }
        return values;
    }

    private static String unescape(String value) {
        // blkid -o export escapes shell-special characters with a backslash.
        return value.replaceAll("\\\\(.)", "$1");
    }
}
