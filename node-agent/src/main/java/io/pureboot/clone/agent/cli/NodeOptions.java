package io.pureboot.clone.agent.cli;

import io.pureboot.clone.agent.AgentException;
import io.pureboot.clone.agent.FailureKind;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import picocli.CommandLine.Option;

/**
 * Options every mode shares. Each falls back to the kernel command line ({@code pureboot.server=...} in /proc/cmdline,
 * or the file given with --cmdline), which is how a PXE-booted node receives them.
 */
public final class NodeOptions {

    @Option(names = "--cmdline", paramLabel = "FILE", defaultValue = "/proc/cmdline",
            description = "Kernel command line to read pureboot.* settings from (default: ${DEFAULT-VALUE}).")
    Path cmdline;

    @Option(names = "--server", paramLabel = "URL", description = "Clone-service base URL (pureboot.server).")
    String server;

    @Option(names = "--token", paramLabel = "TOKEN",
            description = "Node token for the node API (pureboot.token); tests and development, nodes use a ticket.")
    String token;

    @Option(names = "--ticket", paramLabel = "TICKET",
            description = "Boot ticket, traded once for the node token (pureboot.ticket).")
    String ticket;

    @Option(names = "--ca", paramLabel = "FILE|system",
            description = "The controller's CA certificate, the only one trusted for an https server "
                    + "(pureboot.ca, default /etc/pureboot/ca.pem; 'system': the JDK's public CAs).")
    Path ca;

    @Option(names = "--token-dir", paramLabel = "DIR", defaultValue = "/run/pureboot",
            description = "Where the token traded for the ticket is kept for this boot (default: ${DEFAULT-VALUE}).")
    Path tokenDirectory;

    @Option(names = "--staging-dir", paramLabel = "DIR",
            description = "An already mounted staging directory; skips NFS/iSCSI (pureboot.staging_dir).")
    Path stagingDirectory;

    @Option(names = "--state-dir", paramLabel = "DIR",
            description = "Where restore journals are kept (pureboot.state_dir, default /var/lib/pureboot-agent).")
    Path stateDirectory;

    @Option(names = "--workers", paramLabel = "N",
            description = "Compression threads (pureboot.workers, default: all cores).")
    Integer workers;

    @Option(names = "--zstd-level", paramLabel = "LEVEL",
            description = "zstd level for captures (pureboot.zstd_level, default 3).")
    Integer zstdLevel;

    @Option(names = "--stop-after-chunks", hidden = true, defaultValue = "0",
            description = "Test hook: stop as if interrupted after N chunks.")
    int stopAfterChunks;

    @Option(names = {"-v", "--verbose"}, description = "Log every command the agent runs.")
    boolean verbose;

    private Map<String, String> kernel;

    private Map<String, String> kernel() {
        if (kernel == null) {
            kernel = KernelCommandLine.read(cmdline);
        }
        return kernel;
    }

    String setting(String flagValue, String key) {
        return flagValue != null ? flagValue : kernel().get(key);
    }

    URI server() {
        String value = setting(server, "server");
        if (value == null || value.isBlank()) {
            throw new AgentException(FailureKind.CONFIGURATION, "no server: give --server or pureboot.server=");
        }
        try {
            URI uri = URI.create(value.endsWith("/") ? value : value + "/");
            if (!"http".equals(uri.getScheme()) && !"https".equals(uri.getScheme())) {
                throw new IllegalArgumentException("scheme must be http or https");
            }
            return uri;
        } catch (IllegalArgumentException e) {
            throw new AgentException(FailureKind.CONFIGURATION, "invalid server URL '" + value + "': "
                    + e.getMessage(), e);
        }
    }

    /** The node token given directly (--token, pureboot.token), or null. */
    String token() {
        String value = setting(token, "token");
        return value == null || value.isBlank() ? null : value;
    }

    /** The boot ticket (--ticket, pureboot.ticket), or null. */
    String ticket() {
        String value = setting(ticket, "ticket");
        return value == null || value.isBlank() ? null : value;
    }

    Path tokenDirectory() {
        return tokenDirectory;
    }

    /** {@code pureboot.ca=system}: trust the JDK's public CAs (a publicly certified origin) instead of one CA file. */
    static final String SYSTEM_CA = "system";

    /**
     * The controller's CA: given, or the boot image's; null when neither exists (then only http works), or
     * {@link #SYSTEM_CA}.
     */
    String ca() {
        String value = setting(ca == null ? null : ca.toString(), "ca");
        if (SYSTEM_CA.equals(value)) {
            return SYSTEM_CA;
        }
        Path file = Path.of(value == null ? "/etc/pureboot/ca.pem" : value);
        if (value != null && !Files.isReadable(file)) {
            throw new AgentException(FailureKind.CONFIGURATION, "the controller's CA " + file + " is not readable");
        }
        return Files.isReadable(file) ? file.toString() : null;
    }

    Path stagingDirectory() {
        String value = setting(stagingDirectory == null ? null : stagingDirectory.toString(), "staging_dir");
        return value == null ? null : Path.of(value);
    }

    Path stateDirectory() {
        String value = setting(stateDirectory == null ? null : stateDirectory.toString(), "state_dir");
        return Path.of(value == null ? "/var/lib/pureboot-agent" : value);
    }

    int workers() {
        String value = setting(workers == null ? null : workers.toString(), "workers");
        return value == null ? Runtime.getRuntime().availableProcessors() : positive("workers", value);
    }

    int zstdLevel() {
        String value = setting(zstdLevel == null ? null : zstdLevel.toString(), "zstd_level");
        return value == null ? 3 : positive("zstd_level", value);
    }

    private static int positive(String name, String value) {
        return number(value, name, 1, 1);
    }

    /** A whole-number setting: {@code fallback} when absent, a configuration error below {@code minimum}. */
    static int number(String value, String name, int fallback, int minimum) {
        if (value == null) {
            return fallback;
        }
        try {
            int number = Integer.parseInt(value.strip());
            if (number < minimum) {
                throw new NumberFormatException("must be >= " + minimum);
            }
            return number;
        } catch (NumberFormatException e) {
            throw new AgentException(FailureKind.CONFIGURATION, "invalid " + name + " '" + value + "': "
                    + e.getMessage(), e);
        }
    }
}
