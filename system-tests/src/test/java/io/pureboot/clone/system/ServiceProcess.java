package io.pureboot.clone.system;

import java.io.IOException;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/** One packaged service run as its own JVM on a free port, as the local stack runs it. */
final class ServiceProcess implements AutoCloseable {

    private static final Duration READY_TIMEOUT = Duration.ofSeconds(300);
    /** This test JVM's consumer groups: services started here share them, and no one else joins. */
    private static final String RUN = "it-" + java.util.UUID.randomUUID();
    /** The system tests' own clone-service secret key (32 bytes, base64); test data only. */
    private static final String CLONE_SECRET_KEY = "c3lzdGVtLXRlc3RzLWNsb25lLXNlY3JldC1rZXkhISE=";

    private final String name;
    private final int port;
    private final Process process;
    private final Path log;

    private ServiceProcess(String name, int port, Process process, Path log) {
        this.name = name;
        this.port = port;
        this.process = process;
        this.log = log;
    }

    /** Starts {@code <root>/<module>/target/quarkus-app/quarkus-run.jar} and waits until it is ready. */
    static ServiceProcess start(String module, Map<String, String> environment) throws IOException, InterruptedException {
        return start(module, environment, freePort());
    }

    /** As {@link #start(String, Map)}, on a port chosen beforehand (clone-service, whose URL the others need first). */
    static ServiceProcess start(String module, Map<String, String> environment, int port)
            throws IOException, InterruptedException {
        ServiceProcess service = launch(module, module, environment, port, List.of());
        service.awaitReady();
        return service;
    }

    /**
     * Starts the service without waiting for it ({@link #awaitReady()}), logging to {@code system-tests/target/<logName>.log},
     * with extra JVM options (system properties) before the jar.
     */
    static ServiceProcess launch(String module, String logName, Map<String, String> environment, int port,
            List<String> jvmOptions) throws IOException {
        Path root = LocalStack.root();
        Path jar = root.resolve(module).resolve("target/quarkus-app/quarkus-run.jar");
        if (!Files.isRegularFile(jar)) {
            throw new IllegalStateException(jar + " is missing: package the services before the system tests");
        }
        Path log = root.resolve("system-tests/target").resolve(logName + ".log");
        Files.createDirectories(log.getParent());
        List<String> command = new ArrayList<>(List.of(
                Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-Xmx384m", "-Dquarkus.http.port=" + port));
        command.addAll(jvmOptions);
        command.addAll(List.of("-jar", jar.toString()));
        ProcessBuilder builder = new ProcessBuilder(command)
                .redirectErrorStream(true)
                .redirectOutput(ProcessBuilder.Redirect.appendTo(log.toFile()));
        // PUREBOOT_IT_DB_NAME: another database of deploy/dev/postgres.sh's shape, for a branch whose migrations differ
        builder.environment().put("PUREBOOT_DB_NAME", databaseName());
        builder.environment().put("PUREBOOT_KAFKA_GROUP_SUFFIX", "-" + RUN);
        // Fixed, not random: clone-service's CA, sealed with it, stays in the test database from run to run.
        builder.environment().put("PUREBOOT_CLONE_SECRET_KEY", CLONE_SECRET_KEY);
        // clone-service reads the repository's workflows/ (one YAML per agent mode) at start.
        builder.environment().put("PUREBOOT_WORKFLOWS", root.resolve("workflows").toString());
        builder.environment().putAll(environment);
        return new ServiceProcess(module, port, builder.start(), log);
    }

    /** The database the services of the system tests use. */
    static String databaseName() {
        return System.getenv().getOrDefault("PUREBOOT_IT_DB_NAME", "pureboot_it");
    }

    URI uri() {
        return URI.create("http://127.0.0.1:" + port);
    }

    int port() {
        return port;
    }

    /** Waits until the readiness probe answers 200; a process that exits or stays unready fails. */
    void awaitReady() throws InterruptedException {
        HttpClient client = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();
        HttpRequest ready = HttpRequest.newBuilder(uri().resolve("/q/health/ready")).timeout(Duration.ofSeconds(5)).build();
        Instant deadline = Instant.now().plus(READY_TIMEOUT);
        while (Instant.now().isBefore(deadline)) {
            if (!process.isAlive()) {
                throw new IllegalStateException(name + " exited with " + process.exitValue() + "; see " + log);
            }
            try {
                if (client.send(ready, HttpResponse.BodyHandlers.discarding()).statusCode() == 200) {
                    return;
                }
            } catch (IOException notYet) {
                // the port is not open yet
            }
            Thread.sleep(500);
        }
        close();
        throw new IllegalStateException(name + " was not ready within " + READY_TIMEOUT + "; see " + log);
    }

    /** Kills the process as a node failure or the OOM killer would: SIGKILL, no shutdown, no goodbye to Kafka. */
    void kill() throws InterruptedException {
        process.destroyForcibly();
        if (!process.waitFor(10, TimeUnit.SECONDS)) {
            throw new IllegalStateException(name + " survived SIGKILL for 10 s");
        }
    }

    @Override
    public void close() throws InterruptedException {
        process.destroy();
        if (!process.waitFor(30, TimeUnit.SECONDS)) {
            process.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
        }
    }

    static int freePort() throws IOException {
        try (ServerSocket socket = new ServerSocket(0)) {
            return socket.getLocalPort();
        }
    }
}
