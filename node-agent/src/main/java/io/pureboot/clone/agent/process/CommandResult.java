package io.pureboot.clone.agent.process;

import static java.util.Objects.requireNonNull;

import java.util.List;

/**
 * What a finished command returned.
 *
 * @param command the command line as run
 * @param exitCode the process exit code
 * @param stdout standard output, decoded as UTF-8
 * @param stderr standard error, decoded as UTF-8
 */
public record CommandResult(List<String> command, int exitCode, String stdout, String stderr) {

    public CommandResult {
        command = List.copyOf(requireNonNull(command, "command is null"));
        stdout = stdout == null ? "" : stdout;
        stderr = stderr == null ? "" : stderr;
    }

    public boolean succeeded() {
        return exitCode == 0;
    }

    /** The last non-blank line of stderr (else stdout): what a one-line failure message quotes. */
    public String lastErrorLine() {
        String text = stderr.isBlank() ? stdout : stderr;
        String[] lines = text.strip().split("\n");
        return lines.length == 0 ? "" : lines[lines.length - 1].strip();
    }

    /** The command line for messages, as a shell would show it (secrets must not be passed as arguments). */
    public String commandLine() {
        return String.join(" ", command);
    }
}
