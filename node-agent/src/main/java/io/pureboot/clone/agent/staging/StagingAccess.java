package io.pureboot.clone.agent.staging;

import static java.util.Objects.requireNonNull;

import io.pureboot.clone.agent.AgentException;
import io.pureboot.clone.agent.Cleanup;
import io.pureboot.clone.agent.FailureKind;
import io.pureboot.clone.agent.process.CommandResult;
import io.pureboot.clone.agent.process.CommandRunner;
import io.pureboot.clone.nodeapi.NodeRole;
import io.pureboot.clone.nodeapi.StagingGrant;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/**
 * Makes the session's staging directory available: a directory that is already mounted, an NFS export mounted with
 * {@code mount -t nfs}, or an iSCSI LUN logged into (discovery, CHAP, login), found by its by-path name and its ext4
 * mounted. Every mount and login is registered with {@link Cleanup} so it is undone on every exit path. The source
 * gets read-write access; any other role reads only.
 */
public final class StagingAccess {

    private final CommandRunner runner;
    private final Cleanup cleanup;
    private final Path mountBase;
    private final Path byPath;
    private final Duration deviceWait;

    public StagingAccess(CommandRunner runner, Cleanup cleanup, Path mountBase, Path byPath, Duration deviceWait) {
        this.runner = requireNonNull(runner, "runner is null");
        this.cleanup = requireNonNull(cleanup, "cleanup is null");
        this.mountBase = requireNonNull(mountBase, "mountBase is null");
        this.byPath = requireNonNull(byPath, "byPath is null");
        this.deviceWait = requireNonNull(deviceWait, "deviceWait is null");
    }

    public static StagingAccess system(CommandRunner runner, Cleanup cleanup) {
        return new StagingAccess(runner, cleanup, Path.of("/run/pureboot"), Path.of("/dev/disk/by-path"),
                Duration.ofSeconds(30));
    }

    /** The session directory inside a directory that is already mounted (or a local directory, for tests). */
    public Path preMounted(Path base, String stagingPath, NodeRole role) {
        Path directory = base.resolve(stagingPath);
        return prepare(directory, role);
    }

    /** Mounts the NFS export (read-only for targets) and returns the session directory in it. */
    public Path nfs(StagingGrant.Nfs nfs, String stagingPath, NodeRole role) {
        Path mountPoint = createMountPoint("nfs");
        runner.runChecked(FailureKind.STAGING, nfsMountCommand(nfs, mountPoint, role));
        cleanup.push("unmount " + mountPoint, () -> unmount(mountPoint));
        return prepare(mountPoint.resolve(stagingPath), role);
    }

    static List<String> nfsMountCommand(StagingGrant.Nfs nfs, Path mountPoint, NodeRole role) {
        List<String> options = new ArrayList<>();
        if (nfs.options() != null && !nfs.options().isBlank()) {
            options.add(nfs.options());
        }
        if (isNfsVersion3(nfs.options()) && !namesLocking(nfs.options())) {
            // NFSv3 locks through NLM, which needs rpc.statd on the node and an NLM service on the server: the boot
            // image runs no statd (mount would wait for it and fail) and nfs-ganesha may run no NLM. Each session
            // directory has one writer (the source), so locks would protect nothing.
            options.add("nolock");
        }
        options.add(role == NodeRole.SOURCE ? "rw" : "ro");
        return List.of("mount", "-t", "nfs", "-o", String.join(",", options), nfs.server() + ":" + nfs.export(),
                mountPoint.toString());
    }

    private static boolean isNfsVersion3(String options) {
        return optionWords(options).stream().anyMatch(word -> word.equals("vers=3") || word.equals("nfsvers=3")
                || word.equals("v3"));
    }

    private static boolean namesLocking(String options) {
        return optionWords(options).stream().anyMatch(word -> word.equals("lock") || word.equals("nolock")
                || word.startsWith("local_lock="));
    }

    private static List<String> optionWords(String options) {
        return options == null ? List.of() : List.of(options.strip().split("\\s*,\\s*"));
    }

    /**
     * Logs into the iSCSI target (CHAP when a username is given), waits for the LUN's by-path device, mounts its ext4
     * (read-write for the source, read-only without journal replay for targets) and returns the session directory.
     * A source finding no filesystem on the LUN creates one.
     */
    public Path iscsi(StagingGrant.Iscsi iscsi, String stagingPath, NodeRole role) {
        CommandResult discovery = runner.runChecked(FailureKind.STAGING, List.of("iscsiadm", "-m", "discovery", "-t",
                "sendtargets", "-p", iscsi.portal()));
        if (!discovered(discovery.stdout(), iscsi)) {
            // The target answers with the portal address it was configured with, which a node behind NAT, or one
            // that reached it by another of its addresses, cannot use: iscsiadm then has no record for the portal
            // we were told, and every later call would find "No records found". The record is made for that portal.
            runner.runChecked(FailureKind.STAGING, nodeCommand(iscsi, "-o", "new"));
        }
        if (iscsi.username() != null && !iscsi.username().isBlank()) {
            update(iscsi, "node.session.auth.authmethod", "CHAP");
            update(iscsi, "node.session.auth.username", iscsi.username());
            update(iscsi, "node.session.auth.password", iscsi.password() == null ? "" : iscsi.password());
        }
        runner.runChecked(FailureKind.STAGING, nodeCommand(iscsi, "--login"));
        cleanup.push("iSCSI logout " + iscsi.targetIqn(), () -> runner.runChecked(FailureKind.STAGING,
                nodeCommand(iscsi, "--logout")));
        Path device = waitForDevice(lunPath(iscsi));
        if (role == NodeRole.SOURCE) {
            CommandResult probe = runner.run(List.of("blkid", "-p", "-o", "value", "-s", "TYPE", device.toString()));
            if (probe.exitCode() == 2) {
                runner.runChecked(FailureKind.STAGING, List.of("mkfs.ext4", "-q", "-L", "pureboot-stage",
                        device.toString()));
            }
        }
        Path mountPoint = createMountPoint("iscsi");
        List<String> mount = role == NodeRole.SOURCE
                ? List.of("mount", "-t", "ext4", device.toString(), mountPoint.toString())
                : List.of("mount", "-t", "ext4", "-o", "ro,noload", device.toString(), mountPoint.toString());
        runner.runChecked(FailureKind.STAGING, mount);
        cleanup.push("unmount " + mountPoint, () -> unmount(mountPoint));
        return prepare(mountPoint.resolve(stagingPath), role);
    }

    /** The by-path name udev gives the LUN: {@code ip-<portal>-iscsi-<iqn>-lun-<lun>}. */
    Path lunPath(StagingGrant.Iscsi iscsi) {
        return byPath.resolve("ip-" + portalWithPort(iscsi) + "-iscsi-" + iscsi.targetIqn() + "-lun-" + iscsi.lun());
    }

    private static String portalWithPort(StagingGrant.Iscsi iscsi) {
        return iscsi.portal().matches(".*:\\d+") ? iscsi.portal() : iscsi.portal() + ":3260";
    }

    /** Whether SendTargets named the target at the portal we were told ({@code <address>:<port>,<tpgt> <iqn>} lines). */
    static boolean discovered(String sendTargets, StagingGrant.Iscsi iscsi) {
        String portal = portalWithPort(iscsi);
        return sendTargets.lines().map(String::strip).map(line -> line.split("\\s+"))
                .anyMatch(words -> words.length == 2 && words[1].equals(iscsi.targetIqn())
                        && words[0].replaceFirst(",\\d+$", "").equals(portal));
    }

    static List<String> nodeCommand(StagingGrant.Iscsi iscsi, String... action) {
        List<String> command = new ArrayList<>(List.of("iscsiadm", "-m", "node", "-T", iscsi.targetIqn(),
                "-p", iscsi.portal()));
        command.addAll(List.of(action));
        return List.copyOf(command);
    }

    static List<String> updateCommand(StagingGrant.Iscsi iscsi, String name, String value) {
        return List.of("iscsiadm", "-m", "node", "-T", iscsi.targetIqn(), "-p", iscsi.portal(), "-o", "update", "-n",
                name, "-v", value);
    }

    private void update(StagingGrant.Iscsi iscsi, String name, String value) {
        CommandResult result = runner.run(updateCommand(iscsi, name, value));
        if (!result.succeeded()) {
            // Not runChecked: its message would quote the command line, and with it the CHAP secret.
            throw new AgentException(FailureKind.STAGING, "iscsiadm could not set " + name + " for "
                    + iscsi.targetIqn() + " (exit " + result.exitCode() + "): " + result.lastErrorLine());
        }
    }

    private Path waitForDevice(Path device) {
        long deadline = System.nanoTime() + deviceWait.toNanos();
        while (!Files.exists(device)) {
            if (System.nanoTime() > deadline) {
                throw new AgentException(FailureKind.STAGING, "the iSCSI LUN did not appear as " + device + " within "
                        + deviceWait.toSeconds() + " s");
            }
            try {
                Thread.sleep(200);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new AgentException(FailureKind.INTERRUPTED, "interrupted while waiting for " + device, e);
            }
        }
        return device;
    }

    private Path createMountPoint(String kind) {
        try {
            Files.createDirectories(mountBase);
            Path mountPoint = Files.createTempDirectory(mountBase, "staging-" + kind + "-");
            cleanup.push("remove " + mountPoint, () -> Files.deleteIfExists(mountPoint));
            return mountPoint;
        } catch (IOException e) {
            throw new AgentException(FailureKind.STAGING, "cannot create a mount point under " + mountBase + ": "
                    + e.getMessage(), e);
        }
    }

    private void unmount(Path mountPoint) {
        runner.runChecked(FailureKind.STAGING, List.of("umount", mountPoint.toString()));
    }

    private static Path prepare(Path directory, NodeRole role) {
        try {
            if (role == NodeRole.SOURCE) {
                Files.createDirectories(directory);
            } else if (!Files.isDirectory(directory)) {
                throw new AgentException(FailureKind.STAGING, "the staging directory " + directory + " does not exist");
            }
            return directory;
        } catch (IOException e) {
            throw new AgentException(FailureKind.STAGING, "cannot create " + directory + ": " + e.getMessage(), e);
        }
    }
}
