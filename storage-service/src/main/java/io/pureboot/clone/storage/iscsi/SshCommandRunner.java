package io.pureboot.clone.storage.iscsi;

import static java.nio.charset.StandardCharsets.UTF_8;
import static java.util.Objects.requireNonNull;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import java.util.stream.Stream;

/**
 * Runs commands on the iSCSI target host with OpenSSH: key authentication only (BatchMode), the
 * host key pinned to what the operator registered (StrictHostKeyChecking=yes against a known_hosts
 * file holding just that key). The private key exists in plain text only in a 0600 file of a 0700
 * directory for the duration of one command. Arguments are quoted for the remote shell.
 */
public final class SshCommandRunner implements CommandRunner {

    /** ssh's own exit code for "could not connect / authenticate". */
    private static final int SSH_ERROR = 255;

    private final String host;
    private final int port;
    private final String user;
    private final String privateKey;
    private final String hostKey;
    private final Duration connectTimeout;
    private final LocalCommandRunner local = new LocalCommandRunner();

    public SshCommandRunner(String host, int port, String user, String privateKey, String hostKey,
            Duration connectTimeout) {
        this.host = requireNonNull(host, "host is null");
        this.port = port;
        this.user = requireNonNull(user, "user is null");
        this.privateKey = requireNonNull(privateKey, "privateKey is null");
        this.hostKey = requireNonNull(hostKey, "hostKey is null");
        this.connectTimeout = requireNonNull(connectTimeout, "connectTimeout is null");
    }

    @Override
    public CommandResult run(List<String> command, Map<String, String> environment, Duration timeout)
            throws IscsiException {
        if (!environment.isEmpty()) {
            throw new IllegalArgumentException("environment variables are not passed over ssh");
        }
        Path directory = null;
        try {
            directory = Files.createTempDirectory("pureboot-ssh-", PosixFilePermissions.asFileAttribute(
                    PosixFilePermissions.fromString("rwx------")));
            Path key = write(directory.resolve("id"), privateKey.endsWith("\n") ? privateKey : privateKey + "\n");
            Path knownHosts = write(directory.resolve("known_hosts"), knownHostsLines());
            List<String> ssh = new ArrayList<>(List.of("ssh", "-F", "/dev/null", "-i", key.toString(),
                    "-o", "IdentitiesOnly=yes", "-o", "BatchMode=yes", "-o", "StrictHostKeyChecking=yes",
                    "-o", "UserKnownHostsFile=" + knownHosts, "-o", "GlobalKnownHostsFile=/dev/null",
                    "-o", "ConnectTimeout=" + Math.max(1, connectTimeout.toSeconds()), "-o", "LogLevel=ERROR",
                    "-p", Integer.toString(port), "-l", user, host, "--", shellCommand(command)));
            CommandResult result = local.run(ssh, Map.of(), timeout);
            if (result.exitCode() == SSH_ERROR) {
                throw new IscsiException(IscsiFailure.MANAGEMENT_FAILED, "ssh to " + user + "@" + host + ":" + port
                        + " failed: " + sshFailure(result.stderr()));
            }
            return result;
        } catch (IOException e) {
            if (e instanceof IscsiException iscsi) {
                throw iscsi;
            }
            throw new IscsiException(IscsiFailure.MANAGEMENT_FAILED, "cannot prepare the ssh key file: " + e.getMessage(), e);
        } finally {
            delete(directory);
        }
    }

    @Override
    public String where() {
        return "ssh " + user + "@" + host + ":" + port;
    }

    /** The reason ssh gave, in one line; ssh's banners (the man-in-the-middle warning) are summarised. */
    static String sshFailure(String stderr) {
        if (stderr.contains("REMOTE HOST IDENTIFICATION HAS CHANGED") || stderr.contains("Host key verification failed")
                || stderr.contains("No ED25519 host key is known") || stderr.contains("host key is known")) {
            return "host key verification failed: the host's key is not the registered ssh_host_key";
        }
        if (stderr.contains("Permission denied")) {
            return "the private key was refused (permission denied)";
        }
        if (stderr.contains("Connection refused")) {
            return "connection refused";
        }
        if (stderr.contains("timed out")) {
            return "connection timed out";
        }
        if (stderr.contains("Could not resolve hostname")) {
            return "the host name does not resolve";
        }
        return stderr.lines().map(String::strip).filter(line -> !line.isEmpty()).reduce((first, last) -> last)
                .orElse("ssh exited with 255");
    }

    /** known_hosts lines: the registered key, prefixed with this host (and port) when it has no host field. */
    private String knownHostsLines() {
        String hostField = port == 22 ? host : "[" + host + "]:" + port;
        return hostKey.lines().map(String::strip).filter(line -> !line.isEmpty() && !line.startsWith("#"))
                .map(line -> startsWithKeyType(line) ? hostField + " " + line : line)
                .collect(Collectors.joining("\n", "", "\n"));
    }

    private static boolean startsWithKeyType(String line) {
        return line.startsWith("ssh-") || line.startsWith("ecdsa-") || line.startsWith("sk-");
    }

    /** One string for the remote shell, every argument single-quoted. */
    static String shellCommand(List<String> command) {
        return command.stream().map(argument -> "'" + argument.replace("'", "'\\''") + "'")
                .collect(Collectors.joining(" "));
    }

    private static Path write(Path file, String content) throws IOException {
        Files.createFile(file, PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")));
        Files.writeString(file, content, UTF_8);
        return file;
    }

    private static void delete(Path directory) {
        if (directory == null) {
            return;
        }
        try (Stream<Path> files = Files.walk(directory)) {
            files.sorted(Comparator.reverseOrder()).forEach(path -> path.toFile().delete());
        } catch (IOException ignored) {
            // best effort: what is left is readable by this user only (0700 directory, 0600 files)
        }
    }
}
