package io.pureboot.clone.storage.iscsi;

import static java.nio.charset.StandardCharsets.UTF_8;

import java.io.ByteArrayOutputStream;
import java.io.File;
import java.io.IOException;
import java.io.InputStream;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/** Runs commands as child processes of the service, without a shell, bounded in time and output. */
public final class LocalCommandRunner implements CommandRunner {

    private static final int MAX_OUTPUT = 1 << 20;

    @Override
    public CommandResult run(List<String> command, Map<String, String> environment, Duration timeout)
            throws IscsiException {
        String program = command.getFirst();
        ProcessBuilder builder = new ProcessBuilder(command);
        builder.environment().putAll(environment);
        builder.redirectInput(ProcessBuilder.Redirect.from(new File("/dev/null")));
        Process process;
        try {
            process = builder.start();
        } catch (IOException e) {
            throw new IscsiException(IscsiFailure.MANAGEMENT_FAILED, program + " cannot be started on this host: "
                    + e.getMessage(), e);
        }
        CompletableFuture<String> stdout = drain(process.getInputStream());
        CompletableFuture<String> stderr = drain(process.getErrorStream());
        try {
            if (!process.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
                process.descendants().forEach(ProcessHandle::destroyForcibly);
                process.destroyForcibly();
                throw new IscsiException(IscsiFailure.TIMEOUT, program + " did not finish in " + timeout.toSeconds() + " s");
            }
            return new CommandResult(process.exitValue(), stdout.get(5, TimeUnit.SECONDS), stderr.get(5, TimeUnit.SECONDS));
        } catch (InterruptedException e) {
            process.destroyForcibly();
            Thread.currentThread().interrupt();
            throw new IscsiException(IscsiFailure.TIMEOUT, program + " was interrupted", e);
        } catch (ExecutionException | TimeoutException e) {
            throw new IscsiException(IscsiFailure.MANAGEMENT_FAILED, "output of " + program + " cannot be read", e);
        }
    }

    @Override
    public String where() {
        return "local";
    }

    private static CompletableFuture<String> drain(InputStream stream) {
        CompletableFuture<String> text = new CompletableFuture<>();
        Thread.ofVirtual().name("command-output").start(() -> {
            try (stream) {
                ByteArrayOutputStream buffer = new ByteArrayOutputStream();
                byte[] chunk = new byte[8192];
                int read;
                while ((read = stream.read(chunk)) >= 0) {
                    if (buffer.size() < MAX_OUTPUT) {
                        buffer.write(chunk, 0, Math.min(read, MAX_OUTPUT - buffer.size()));
                    }
                }
                text.complete(buffer.toString(UTF_8));
            } catch (IOException e) {
                text.completeExceptionally(e);
            }
        });
        return text;
    }
}
