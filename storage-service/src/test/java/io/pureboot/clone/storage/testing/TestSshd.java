package io.pureboot.clone.storage.testing;

import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

/**
 * A private OpenSSH server on 127.0.0.1 and a free port, key authentication only, started and
 * stopped by the test that needs it (the target-management-over-SSH tests). Its host key, its
 * client key and its configuration live in a temporary directory that {@link #close()} removes.
 */
public final class TestSshd implements AutoCloseable {

    public static final Path SSHD = Path.of("/usr/sbin/sshd");

    private final Path directory;
    private final Process process;
    private final int port;

    private TestSshd(Path directory, Process process, int port) {
        this.directory = directory;
        this.process = process;
        this.port = port;
    }

    public static boolean available() {
        return Files.isExecutable(SSHD);
    }

    public static TestSshd start() throws IOException, InterruptedException {
        Path directory = Files.createTempDirectory("pureboot-test-sshd-");
        keygen(directory.resolve("host_key"));
        keygen(directory.resolve("client_key"));
        Files.copy(directory.resolve("client_key.pub"), directory.resolve("authorized_keys"));
        int port;
        try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            port = socket.getLocalPort();
        }
        Files.writeString(directory.resolve("sshd_config"), String.join("\n",
                "Port " + port,
                "ListenAddress 127.0.0.1",
                "HostKey " + directory.resolve("host_key"),
                "AuthorizedKeysFile " + directory.resolve("authorized_keys"),
                "PidFile " + directory.resolve("sshd.pid"),
                "PermitRootLogin prohibit-password",
                "PasswordAuthentication no",
                "KbdInteractiveAuthentication no",
                "UsePAM no",
                "StrictModes no",
                ""));
        Files.createDirectories(Path.of("/run/sshd"));
        Process process = new ProcessBuilder(SSHD.toString(), "-D", "-e", "-f", directory.resolve("sshd_config").toString())
                .redirectErrorStream(true)
                .redirectOutput(directory.resolve("sshd.log").toFile())
                .start();
        TestSshd sshd = new TestSshd(directory, process, port);
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(15);
        while (!sshd.listening()) {
            if (!process.isAlive() || System.nanoTime() > deadline) {
                String log = Files.readString(directory.resolve("sshd.log"));
                sshd.close();
                throw new IllegalStateException("test sshd did not start: " + log);
            }
            Thread.sleep(100);
        }
        return sshd;
    }

    public int port() {
        return port;
    }

    /** The client's private key (OpenSSH format), authorized for root. */
    public String clientKey() throws IOException {
        return Files.readString(directory.resolve("client_key"));
    }

    /** The server's public host key as "ssh-ed25519 AAAA... comment". */
    public String hostKey() throws IOException {
        return Files.readString(directory.resolve("host_key.pub")).strip();
    }

    /** Another host key, for the test that a server with the wrong key is refused. */
    public String unrelatedHostKey() throws IOException, InterruptedException {
        Path other = directory.resolve("other_key");
        keygen(other);
        return Files.readString(directory.resolve("other_key.pub")).strip();
    }

    @Override
    public void close() {
        process.destroy();
        try {
            if (!process.waitFor(10, TimeUnit.SECONDS)) {
                process.destroyForcibly();
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        try (Stream<Path> files = Files.walk(directory)) {
            files.sorted(Comparator.reverseOrder()).forEach(path -> path.toFile().delete());
        } catch (IOException ignored) {
            // a temporary directory the OS cleans up
        }
    }

    private boolean listening() {
        try (Socket socket = new Socket()) {
            socket.connect(new InetSocketAddress("127.0.0.1", port), 200);
            return true;
        } catch (IOException e) {
            return false;
        }
    }

    private static void keygen(Path file) throws IOException, InterruptedException {
        Process keygen = new ProcessBuilder("ssh-keygen", "-q", "-t", "ed25519", "-N", "", "-C", "pureboot-test", "-f",
                file.toString()).redirectErrorStream(true).start();
        if (!keygen.waitFor(30, TimeUnit.SECONDS) || keygen.exitValue() != 0) {
            throw new IllegalStateException("ssh-keygen failed: " + new String(keygen.getInputStream().readAllBytes()));
        }
    }
}
