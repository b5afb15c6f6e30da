package io.pureboot.clone.system;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;

/** The repository's local-stack scripts, driven from tests (Kafka outages, for one). */
final class LocalStack {

    static final String KAFKA_BOOTSTRAP = "127.0.0.1:19092";

    private LocalStack() {
    }

    static Path root() {
        String root = System.getProperty("pureboot.root");
        return root == null ? Path.of("..").toAbsolutePath().normalize() : Path.of(root);
    }

    static void kafka(String action) throws IOException, InterruptedException {
        script("deploy/dev/kafka.sh", action);
    }

    /** The stack's state directory, as deploy/dev/lib.sh finds it: $PUREBOOT_VAR, else .var in the checkout. */
    static Path var() {
        String configured = System.getenv("PUREBOOT_VAR");
        return configured == null || configured.isBlank() ? root().resolve(".var") : Path.of(configured);
    }

    static boolean kafkaAnswers() {
        try (Socket socket = new Socket()) {
            socket.connect(new InetSocketAddress("127.0.0.1", 19092), 1000);
            return true;
        } catch (IOException refused) {
            return false;
        }
    }

    private static void script(String script, String action) throws IOException, InterruptedException {
        Process process = new ProcessBuilder("bash", root().resolve(script).toString(), action)
                .redirectErrorStream(true)
                .redirectOutput(ProcessBuilder.Redirect.appendTo(root().resolve("system-tests/target/stack.log").toFile()))
                .start();
        if (!process.waitFor(180, TimeUnit.SECONDS)) {
            process.destroyForcibly();
            throw new IllegalStateException(script + " " + action + " did not finish in 180 s");
        }
        if (process.exitValue() != 0) {
            throw new IllegalStateException(script + " " + action + " failed with " + process.exitValue()
                    + "; see system-tests/target/stack.log");
        }
    }
}
