package io.pureboot.clone.agent.staging;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.pureboot.clone.agent.AgentException;
import io.pureboot.clone.agent.Cleanup;
import io.pureboot.clone.agent.FailureKind;
import io.pureboot.clone.agent.testing.RecordingRunner;
import io.pureboot.clone.nodeapi.NodeRole;
import io.pureboot.clone.nodeapi.StagingGrant;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The exact commands each way of reaching staging runs, and what is undone afterwards. */
class StagingAccessTest {

    @TempDir
    Path directory;

    private final RecordingRunner runner = new RecordingRunner();

    @Test
    void nfsIsMountedReadWriteForTheSourceAndUnmountedAfterwards() {
        Path base = directory.resolve("mounts");
        Path session;
        try (Cleanup cleanup = new Cleanup()) {
            StagingAccess access = new StagingAccess(runner, cleanup, base, directory, Duration.ZERO);
            session = access.nfs(new StagingGrant.Nfs("10.0.0.1", "/exports/pureboot", "vers=4.2,hard"), "s-1",
                    NodeRole.SOURCE);
            assertThat(session).isDirectory().hasFileName("s-1");
        }
        Path mountPoint = session.getParent();
        assertThat(runner.lines()).containsExactly(
                "mount -t nfs -o vers=4.2,hard,rw 10.0.0.1:/exports/pureboot " + mountPoint,
                "umount " + mountPoint);
    }

    @Test
    void nfsIsMountedReadOnlyForTargets() {
        List<String> command = StagingAccess.nfsMountCommand(new StagingGrant.Nfs("nas", "/e", null), Path.of("/m"),
                NodeRole.TARGET);

        assertThat(command).containsExactly("mount", "-t", "nfs", "-o", "ro", "nas:/e", "/m");
    }

    @Test
    void nfsVersion3IsMountedWithoutLockingUnlessTheOptionsSayOtherwise() {
        assertThat(StagingAccess.nfsMountCommand(new StagingGrant.Nfs("nas", "/e", "vers=3,proto=tcp"), Path.of("/m"),
                NodeRole.SOURCE)).containsExactly("mount", "-t", "nfs", "-o", "vers=3,proto=tcp,nolock,rw", "nas:/e",
                "/m");
        assertThat(StagingAccess.nfsMountCommand(new StagingGrant.Nfs("nas", "/e", "nfsvers=3,lock"), Path.of("/m"),
                NodeRole.TARGET)).containsExactly("mount", "-t", "nfs", "-o", "nfsvers=3,lock,ro", "nas:/e", "/m");
        assertThat(StagingAccess.nfsMountCommand(new StagingGrant.Nfs("nas", "/e", "vers=3,local_lock=all"),
                Path.of("/m"), NodeRole.TARGET)).containsExactly("mount", "-t", "nfs", "-o", "vers=3,local_lock=all,ro",
                "nas:/e", "/m");
    }

    @Test
    void aPortalThatDiscoveryDoesNotNameGetsItsOwnRecordBeforeAnythingUsesIt() throws IOException {
        // tgt answers SendTargets with the address it was configured with (here its loopback), not the one the node
        // reached it by: iscsiadm would then have no record for the portal the node was told.
        StagingGrant.Iscsi iscsi = new StagingGrant.Iscsi("192.168.7.2", "iqn.x:s", 1, "node", "chap-secret");
        Path byPath = Files.createDirectories(directory.resolve("by-path"));
        Path lun = Files.createFile(byPath.resolve("ip-192.168.7.2:3260-iscsi-iqn.x:s-lun-1"));
        runner.answer("iscsiadm -m discovery", 0, "127.0.0.1:3260,1 iqn.x:s\n192.168.7.2:3260,1 iqn.x:other\n", "");
        try (Cleanup cleanup = new Cleanup()) {
            new StagingAccess(runner, cleanup, directory.resolve("mounts"), byPath, Duration.ofSeconds(1))
                    .iscsi(iscsi, "s", NodeRole.SOURCE);
        }
        String node = "iscsiadm -m node -T iqn.x:s -p 192.168.7.2";
        assertThat(runner.lines()).startsWith("iscsiadm -m discovery -t sendtargets -p 192.168.7.2", node + " -o new",
                node + " -o update -n node.session.auth.authmethod -v CHAP");
        assertThat(runner.lines()).contains(node + " --login", node + " --logout");
        assertThat(lun).exists();
    }

    @Test
    void iscsiLogsInWithChapMountsTheLunAndUndoesBothInReverseOrder() throws IOException {
        StagingGrant.Iscsi iscsi = new StagingGrant.Iscsi("10.0.0.5:3260", "iqn.2024-01.io.pureboot:s-2", 1, "node",
                "chap-secret");
        Path byPath = Files.createDirectories(directory.resolve("by-path"));
        Path lun = Files.createFile(byPath.resolve("ip-10.0.0.5:3260-iscsi-iqn.2024-01.io.pureboot:s-2-lun-1"));
        Path base = directory.resolve("mounts");
        runner.answer("iscsiadm -m discovery", 0, "10.0.0.5:3260,1 iqn.2024-01.io.pureboot:s-2\n", "");
        Path session;
        try (Cleanup cleanup = new Cleanup()) {
            StagingAccess access = new StagingAccess(runner, cleanup, base, byPath, Duration.ofSeconds(1));
            session = access.iscsi(iscsi, "s-2", NodeRole.SOURCE);
        }
        Path mountPoint = session.getParent();
        String node = "iscsiadm -m node -T iqn.2024-01.io.pureboot:s-2 -p 10.0.0.5:3260";
        assertThat(runner.lines()).containsExactly(
                "iscsiadm -m discovery -t sendtargets -p 10.0.0.5:3260",
                node + " -o update -n node.session.auth.authmethod -v CHAP",
                node + " -o update -n node.session.auth.username -v node",
                node + " -o update -n node.session.auth.password -v chap-secret",
                node + " --login",
                "blkid -p -o value -s TYPE " + lun,
                "mount -t ext4 " + lun + " " + mountPoint,
                "umount " + mountPoint,
                node + " --logout");
    }

    @Test
    void targetsMountTheLunReadOnlyWithoutJournalReplay() throws IOException {
        StagingGrant.Iscsi iscsi = new StagingGrant.Iscsi("10.0.0.5", "iqn.x:s", 0, null, null);
        Path byPath = Files.createDirectories(directory.resolve("by-path"));
        Path lun = Files.createFile(byPath.resolve("ip-10.0.0.5:3260-iscsi-iqn.x:s-lun-0"));
        Path base = directory.resolve("mounts");
        try (Cleanup cleanup = new Cleanup()) {
            Path mountPoint = Files.createDirectories(base);
            runner.answer("mount", 0, "", "");
            StagingAccess access = new StagingAccess(runner, cleanup, base, byPath, Duration.ofSeconds(1));
            assertThatThrownBy(() -> access.iscsi(iscsi, "s", NodeRole.TARGET))
                    .hasMessageContaining("the staging directory").hasMessageEndingWith("/s does not exist");
            assertThat(mountPoint).exists();
        }
        assertThat(runner.lines()).contains("iscsiadm -m node -T iqn.x:s -p 10.0.0.5 --login")
                .anySatisfy(line -> assertThat(line).startsWith("mount -t ext4 -o ro,noload " + lun + " "))
                .last().isEqualTo("iscsiadm -m node -T iqn.x:s -p 10.0.0.5 --logout");
        assertThat(runner.lines()).noneMatch(line -> line.contains("auth"));
    }

    @Test
    void aFailedChapSetupNeverQuotesTheSecret() {
        runner.answer("iscsiadm -m node -T iqn.x:s -p p -o update -n node.session.auth.password", 6, "",
                "iscsiadm: no records found");
        StagingGrant.Iscsi iscsi = new StagingGrant.Iscsi("p", "iqn.x:s", 0, "user", "top-secret");
        try (Cleanup cleanup = new Cleanup()) {
            StagingAccess access = new StagingAccess(runner, cleanup, directory, directory, Duration.ZERO);
            assertThatThrownBy(() -> access.iscsi(iscsi, "s", NodeRole.SOURCE))
                    .isInstanceOfSatisfying(AgentException.class, e -> {
                        assertThat(e.kind()).isEqualTo(FailureKind.STAGING);
                        assertThat(e.getMessage()).isEqualTo("iscsiadm could not set node.session.auth.password for "
                                + "iqn.x:s (exit 6): iscsiadm: no records found");
                    });
        }
    }

    @Test
    void aLunThatNeverAppearsIsAClearErrorAndTheLoginIsUndone() {
        StagingGrant.Iscsi iscsi = new StagingGrant.Iscsi("p:3260", "iqn.x:s", 3, null, null);
        try (Cleanup cleanup = new Cleanup()) {
            StagingAccess access = new StagingAccess(runner, cleanup, directory, directory, Duration.ofMillis(300));
            assertThatThrownBy(() -> access.iscsi(iscsi, "s", NodeRole.TARGET))
                    .hasMessage("the iSCSI LUN did not appear as " + directory.resolve("ip-p:3260-iscsi-iqn.x:s-lun-3")
                            + " within 0 s");
        }
        assertThat(runner.lines()).last().isEqualTo("iscsiadm -m node -T iqn.x:s -p p:3260 --logout");
    }

    @Test
    void aPreMountedDirectoryIsUsedAsItIs() throws IOException {
        try (Cleanup cleanup = new Cleanup()) {
            StagingAccess access = new StagingAccess(runner, cleanup, directory, directory, Duration.ZERO);
            assertThat(access.preMounted(directory, "s-3", NodeRole.SOURCE)).isDirectory();
            assertThat(access.preMounted(directory, "s-3", NodeRole.TARGET)).isEqualTo(directory.resolve("s-3"));
            assertThatThrownBy(() -> access.preMounted(directory, "s-4", NodeRole.TARGET))
                    .hasMessageEndingWith("s-4 does not exist");
        }
        assertThat(runner.lines()).isEmpty();
    }
}
