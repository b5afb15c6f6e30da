package io.pureboot.clone.system.e2e;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * The real node agent run as a local process, configured as a booted node is: the kernel command line
 * of its iPXE script in a file read with {@code --cmdline}, staging reached as a pre-mounted directory.
 */
public final class Agent {

    private final String name;
    private final Process process;
    private final Path log;

    private Agent(String name, Process process, Path log) {
        this.name = name;
        this.process = process;
        this.log = log;
    }

    /**
     * Boots an agent from an iPXE script: its {@code kernel} line becomes the command line file, with
     * {@code pureboot.server} pointing at {@code server} (the test has no one-origin proxy).
     */
    public static Agent boot(String name, String ipxeScript, String server, Path workDirectory, List<String> extraArguments)
            throws IOException {
        String kernel = ipxeScript.lines().filter(line -> line.startsWith("kernel ")).findFirst()
                .orElseThrow(() -> new IllegalStateException("no kernel line in\n" + ipxeScript));
        String cmdline = kernel.replaceAll("pureboot\\.server=\\S+", "pureboot.server=" + server);
        String mode = cmdline.replaceAll(".*pureboot\\.mode=(\\S+).*", "$1");
        Files.createDirectories(workDirectory);
        Path cmdlineFile = workDirectory.resolve(name + ".cmdline");
        Files.writeString(cmdlineFile, cmdline + "\n", StandardCharsets.UTF_8);
        List<String> command = new ArrayList<>(List.of(
                Path.of(System.getProperty("java.home"), "bin", "java").toString(), "-Xmx512m",
                "-jar", jar().toString(), mode, "--cmdline", cmdlineFile.toString()));
        command.addAll(extraArguments);
        Path log = workDirectory.resolve(name + ".log");
        Files.writeString(log, "$ " + String.join(" ", command) + "\n", StandardCharsets.UTF_8);
        Process process = new ProcessBuilder(command).redirectErrorStream(true)
                .redirectOutput(ProcessBuilder.Redirect.appendTo(log.toFile())).start();
        return new Agent(name, process, log);
    }

    public static Path jar() {
        String root = System.getProperty("pureboot.root");
        Path base = root == null ? Path.of("..").toAbsolutePath().normalize() : Path.of(root);
        Path jar = base.resolve("node-agent/target/node-agent-0.1.0-SNAPSHOT-all.jar");
        if (!Files.isRegularFile(jar)) {
            throw new IllegalStateException(jar + " is missing: package node-agent before the system tests");
        }
        return jar;
    }

    /** Waits for the agent to exit and answers its exit code. */
    public int await(Duration timeout) throws InterruptedException {
        if (!process.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
            process.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
            throw new IllegalStateException(name + " did not finish within " + timeout + "; log:\n" + output());
        }
        return process.exitValue();
    }

    /** Waits for a successful exit; anything else is an assertion failure showing the agent's log. */
    public void awaitSuccess(Duration timeout) throws InterruptedException {
        int exit = await(timeout);
        if (exit != 0) {
            throw new AssertionError(name + " exited with " + exit + "; log:\n" + output());
        }
    }

    /** Kills the agent as a power loss would: SIGKILL, no shutdown hooks. */
    public void kill() throws InterruptedException {
        process.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
    }

    public boolean alive() {
        return process.isAlive();
    }

    public String output() {
        try {
            return Files.readString(log, StandardCharsets.UTF_8);
        } catch (IOException e) {
            return "(log unreadable: " + e + ")";
        }
    }
}
