package io.pureboot.clone.agent.cli;

import io.pureboot.clone.agent.AgentException;
import io.pureboot.clone.agent.FailureKind;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The agent's settings from the kernel command line: every {@code pureboot.<key>=<value>} word (double quotes may
 * enclose a value with spaces), keyed without the prefix.
 */
public final class KernelCommandLine {

    private static final String PREFIX = "pureboot.";

    private KernelCommandLine() {
    }

    public static Map<String, String> read(Path file) {
        if (!Files.exists(file)) {
            return Map.of();
        }
        try {
            return parse(Files.readString(file, StandardCharsets.UTF_8));
        } catch (IOException e) {
            throw new AgentException(FailureKind.CONFIGURATION, "cannot read " + file + ": " + e.getMessage(), e);
        }
    }

    public static Map<String, String> parse(String line) {
        Map<String, String> values = new LinkedHashMap<>();
        int i = 0;
        int length = line.length();
        while (i < length) {
            while (i < length && Character.isWhitespace(line.charAt(i))) {
                i++;
            }
            StringBuilder word = new StringBuilder();
            boolean quoted = false;
            while (i < length && (quoted || !Character.isWhitespace(line.charAt(i)))) {
                char c = line.charAt(i++);
                if (c == '"') {
                    quoted = !quoted;
                } else {
                    word.append(c);
                }
            }
            String text = word.toString();
            int equals = text.indexOf('=');
            if (text.startsWith(PREFIX) && equals > PREFIX.length()) {
                values.put(text.substring(PREFIX.length(), equals), text.substring(equals + 1));
            }
        }
        return values;
    }
}
