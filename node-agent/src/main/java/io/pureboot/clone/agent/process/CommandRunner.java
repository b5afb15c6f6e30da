package io.pureboot.clone.agent.process;

import io.pureboot.clone.agent.AgentException;
import io.pureboot.clone.agent.FailureKind;
import java.util.List;

/**
 * Runs external tools (mount, iscsiadm, resize2fs, partclone...). Everything that touches the system through a command
 * goes through this interface so that unit tests can check the exact command lines with a recording fake.
 */
public interface CommandRunner {

    /** Runs the command to completion and returns its result, whatever the exit code. */
    default CommandResult run(List<String> command) {
        return run(command, null);
    }

    /**
     * Runs the command with {@code input} on its standard input (none when null), to completion, and returns its
     * result whatever the exit code. sfdisk reads its script this way.
     */
    CommandResult run(List<String> command, String input);

    /** Runs the command and fails with {@code kind} naming the command and its last error line when it exits non-zero. */
    default CommandResult runChecked(FailureKind kind, List<String> command) {
        return runChecked(kind, command, null);
    }

    /** {@link #runChecked(FailureKind, List)} with {@code input} on the command's standard input. */
    default CommandResult runChecked(FailureKind kind, List<String> command, String input) {
        CommandResult result = run(command, input);
        if (!result.succeeded()) {
            throw new AgentException(kind, "'" + result.commandLine() + "' exited with " + result.exitCode() + ": "
                    + result.lastErrorLine());
        }
        return result;
    }

    static CommandRunner system() {
        return new ProcessCommandRunner();
    }
}
