package io.pureboot.clone.agent.process;

import io.pureboot.clone.agent.AgentException;
import io.pureboot.clone.agent.FailureKind;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.logging.Logger;

/** Runs commands as child processes with the C locale (so that tool output parses the same everywhere). */
final class ProcessCommandRunner implements CommandRunner {

    private static final Logger LOG = Logger.getLogger(ProcessCommandRunner.class.getName());

    @Override
    public CommandResult run(List<String> command, String input) {
        LOG.fine(() -> "running " + String.join(" ", command));
        ProcessBuilder builder = new ProcessBuilder(command);
        if (input == null) {
            builder.redirectInput(ProcessBuilder.Redirect.from(nullDevice()));
        }
        Map<String, String> environment = builder.environment();
        environment.put("LC_ALL", "C");
        environment.put("LANG", "C");
        Process process;
        try {
            process = builder.start();
        } catch (IOException e) {
            throw new AgentException(FailureKind.TOOL, "cannot run '" + command.get(0) + "': " + e.getMessage(), e);
        }
        if (input != null) {
            try (OutputStream stdin = process.getOutputStream()) {
                stdin.write(input.getBytes(StandardCharsets.UTF_8));
            } catch (IOException e) {
                // The tool exited without reading all of it: its exit code and message say why.
                LOG.fine(() -> command.get(0) + " did not read its whole input: " + e.getMessage());
            }
        }
        // Both streams are drained concurrently: a tool that fills one pipe while we block on the other would hang.
        CompletableFuture<String> stderr = CompletableFuture.supplyAsync(() -> drain(process.getErrorStream()));
        String stdout = drain(process.getInputStream());
        try {
            int exit = process.waitFor();
            return new CommandResult(command, exit, stdout, stderr.join());
        } catch (InterruptedException e) {
            process.destroyForcibly();
            Thread.currentThread().interrupt();
            throw new AgentException(FailureKind.INTERRUPTED, "interrupted while running '" + command.get(0) + "'", e);
        }
    }

    private static java.io.File nullDevice() {
        return new java.io.File("/dev/null");
    }

    private static String drain(InputStream stream) {
        try (stream) {
            return new String(stream.readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
