package io.pureboot.clone.storage.testing;

import static java.nio.charset.StandardCharsets.UTF_8;

import java.io.IOException;
import java.util.List;
import java.util.concurrent.TimeUnit;

/** Runs a tool of the test machine (iscsi-ls, iscsi-readcapacity16, tgtadm, blkid) and returns what it printed. */
public final class Shell {

    private Shell() {
    }

    /** Exit code and combined output. */
    public record Result(int exitCode, String output) {
    }

    public static Result run(String... command) {
        try {
            Process process = new ProcessBuilder(List.of(command)).redirectErrorStream(true).start();
            process.getOutputStream().close();
            if (!process.waitFor(30, TimeUnit.SECONDS)) {
                process.destroyForcibly();
                throw new AssertionError(String.join(" ", command) + " did not finish in 30 s");
            }
            return new Result(process.exitValue(), new String(process.getInputStream().readAllBytes(), UTF_8));
        } catch (IOException e) {
            throw new AssertionError("cannot run " + command[0], e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError("interrupted running " + command[0], e);
        }
    }

    /** What tgtd shows of its targets, through the control port iscsi.sh gave it. */
    public static String tgtTargets() {
        return run("tgtadm", "-C", Integer.toString(StagingServers.TGT_CONTROL_PORT), "--lld", "iscsi", "--mode", "target",
                "--op", "show").output();
    }
}
