package io.pureboot.clone.system.e2e;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;

/** Runs commands on this machine (as root), failing loudly with their output. */
public final class Host {

    private Host() {
    }

    /** Runs a command and answers its standard output; a non-zero exit is an exception with the output. */
    public static String run(String... command) {
        return run(List.of(command), 600);
    }

    /** Runs a bash script (with {@code set -euo pipefail}) and answers its standard output. */
    public static String sh(String script) {
        return run(List.of("bash", "-c", "set -euo pipefail\n" + script), 600);
    }

    /** Like {@link #run(String...)} but answers the exit code and output instead of failing. */
    public static Result attempt(String... command) {
        try {
            Process process = new ProcessBuilder(command).redirectErrorStream(true).start();
            String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            if (!process.waitFor(600, TimeUnit.SECONDS)) {
                process.destroyForcibly();
                return new Result(-1, output + "\n(timed out)");
            }
            return new Result(process.exitValue(), output);
        } catch (IOException e) {
            return new Result(-1, e.toString());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return new Result(-1, e.toString());
        }
    }

    private static String run(List<String> command, int seconds) {
        Path errors = null;
        try {
            errors = Files.createTempFile("pureboot-e2e", ".err");
            Process process = new ProcessBuilder(command).redirectError(errors.toFile()).start();
            String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            if (!process.waitFor(seconds, TimeUnit.SECONDS)) {
                process.destroyForcibly();
                throw new IllegalStateException(String.join(" ", command) + " did not finish in " + seconds + " s");
            }
            if (process.exitValue() != 0) {
                throw new IllegalStateException(String.join(" ", command) + " exited with " + process.exitValue()
                        + ":\n" + output + Files.readString(errors));
            }
            return output;
        } catch (IOException e) {
            throw new IllegalStateException(String.join(" ", command) + " could not run", e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(String.join(" ", command) + " was interrupted", e);
        } finally {
            if (errors != null) {
                errors.toFile().delete();
            }
        }
    }

    /** An exit code and the combined output. */
    public record Result(int exitCode, String output) {
    }
}
