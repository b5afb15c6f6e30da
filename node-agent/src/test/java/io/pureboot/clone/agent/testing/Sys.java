package io.pureboot.clone.agent.testing;

import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.pureboot.clone.agent.process.CommandResult;
import io.pureboot.clone.agent.process.CommandRunner;
import java.util.List;

/** Running system commands in tests: checked by default, failing with the command's own message. */
public final class Sys {

    private static final CommandRunner RUNNER = CommandRunner.system();

    private Sys() {
    }

    public static CommandResult run(String... command) {
        CommandResult result = RUNNER.run(List.of(command));
        if (!result.succeeded()) {
            throw new IllegalStateException("'" + result.commandLine() + "' exited with " + result.exitCode() + ": "
                    + result.stderr().strip() + " " + result.stdout().strip());
        }
        return result;
    }

    /** {@link #run} with {@code input} on the command's standard input. */
    public static CommandResult input(String input, String... command) {
        CommandResult result = RUNNER.run(List.of(command), input);
        if (!result.succeeded()) {
            throw new IllegalStateException("'" + result.commandLine() + "' exited with " + result.exitCode() + ": "
                    + result.stderr().strip() + " " + result.stdout().strip());
        }
        return result;
    }

    public static CommandResult runUnchecked(String... command) {
        return RUNNER.run(List.of(command));
    }

    /** Skips the calling test (with the reason) unless it runs as root: loop devices and mounts need it. */
    public static void assumeRoot() {
        String user = System.getProperty("user.name");
        assumeTrue("root".equals(user), "needs root for loop devices and mounts (running as " + user + ")");
    }
}
