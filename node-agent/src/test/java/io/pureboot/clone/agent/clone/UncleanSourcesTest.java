package io.pureboot.clone.agent.clone;

import static io.pureboot.clone.agent.testing.TestDisks.MIB;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.tuple;

import io.pureboot.clone.agent.AgentException;
import io.pureboot.clone.agent.Cleanup;
import io.pureboot.clone.agent.FailureKind;
import io.pureboot.clone.agent.disk.BlockDevices;
import io.pureboot.clone.agent.fs.Filesystems;
import io.pureboot.clone.agent.image.CaptureEngine;
import io.pureboot.clone.agent.image.ChunkLayout;
import io.pureboot.clone.agent.image.ProgressListener;
import io.pureboot.clone.agent.process.CommandRunner;
import io.pureboot.clone.agent.testing.DamagedFilesystems;
import io.pureboot.clone.agent.testing.FileHashes;
import io.pureboot.clone.agent.testing.Plans;
import io.pureboot.clone.agent.testing.Sys;
import io.pureboot.clone.agent.testing.SystemResources;
import io.pureboot.clone.agent.testing.TestDisks;
import io.pureboot.clone.agent.testing.TestDisks.Disk;
import io.pureboot.clone.events.node.DiskInventory;
import io.pureboot.clone.events.node.PartitionInventory;
import io.pureboot.clone.events.resize.ResizePlan;
import io.pureboot.clone.events.session.ResizeMode;
import io.pureboot.clone.events.session.SourceRepair;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * NTFS, XFS and btrfs sources as a power cut leaves them (NTFS marked dirty, an XFS log and a btrfs log tree that
 * need replay): the inventory says {@code needs_check} with the reason and gives no minimum, shrink_source stops
 * before changing the source, and a capture without shrinking reads the unclean filesystems whole, so the target,
 * which replays the logs, has what only the logs held.
 */
class UncleanSourcesTest {

    @RegisterExtension
    final SystemResources resources = new SystemResources();

    private final Filesystems filesystems = new Filesystems(CommandRunner.system());

    @Test
    void uncleanNtfsXfsAndBtrfsAreReportedNotShrunkAndRestoredWithTheirLogs() throws IOException {
        Sys.assumeRoot();
        Path directory = resources.tempDirectory("pureboot-unclean");
        DamagedFilesystems.Unclean unclean = DamagedFilesystems.ntfsXfsBtrfsAfterAPowerCut(resources, directory,
                clean -> {
                    for (int number = 1; number <= 3; number++) {
                        assertThat(filesystems.probe(clean.partition(number)).needsCheck()).as("clean %d", number)
                                .isNull();
                    }
                });
        Disk source = unclean.disk();

        DiskInventory inventory = new Inventory(BlockDevices.system(), filesystems).describe(source.blockDevice());

        assertThat(inventory.partitions()).extracting(PartitionInventory::filesystem)
                .containsExactly("ntfs", "xfs", "btrfs");
        assertThat(inventory.partitions().get(0).needsCheck()).startsWith("the NTFS volume is marked dirty");
        assertThat(inventory.partitions().get(1).needsCheck()).startsWith("the XFS log needs recovery");
        assertThat(inventory.partitions().get(2).needsCheck()).startsWith("the btrfs log tree needs replay");
        assertThat(inventory.partitions()).allSatisfy(partition -> {
            assertThat(partition.minimumSizeBytes()).isNull();
            assertThat(partition.canShrink()).isFalse();
            assertThat(partition.canGrow()).isFalse();
        });

        String before = FileHashes.sha256(source.device());
        assertThatThrownBy(() -> capture(source, true)).isInstanceOf(AgentException.class)
                .hasMessageContaining(source.partition(1) + " (ntfs): the NTFS volume is marked dirty")
                .hasMessageContaining(source.partition(3) + " (btrfs): the btrfs log tree needs replay")
                .extracting(e -> ((AgentException) e).kind()).isEqualTo(FailureKind.FILESYSTEM);
        assertThat(FileHashes.sha256(source.device())).isEqualTo(before);

        Path staging = resources.tempDirectory("pureboot-unclean-staging");
        SourceCapture.Result captured = capture(source, false, staging);
        assertThat(FileHashes.sha256(source.device())).isEqualTo(before);
        ResizePlan plan = Plans.plan(captured.manifest(), 640 * MIB, ResizeMode.NONE, Map.of(), 1);
        Disk target = TestDisks.blank(resources, resources.tempDirectory("pureboot-unclean-target"), "target.img",
                640 * MIB);
        CloneFixture.restore(target.blockDevice(), staging, plan, resources.tempDirectory("pureboot-state"), 0);

        for (int number : new int[] {2, 3}) {
            assertThat(filesystems.probe(target.partition(number)).needsCheck()).as("replayed %d", number).isNull();
            Path root = resources.mount(target.partition(number), "-o", "ro");
            assertThat(FileHashes.sha256(root.resolve("late.bin"))).as("late.bin on %d", number)
                    .isEqualTo(unclean.lateSha256());
            resources.unmount(root);
        }
        assertThat(Sys.runUnchecked("xfs_repair", "-n", target.partition(2).toString()).exitCode()).isZero();
        assertThat(Sys.runUnchecked("btrfs", "check", "--readonly", target.partition(3).toString()).exitCode())
                .isZero();

        // Asked to, the source agent clears the NTFS flag (ntfsfix -d) and replays the btrfs log by mounting it, and
        // says so; both can then be sized (XFS is left as it is).
        SourceCapture.Result repaired = capture(source, true, resources.tempDirectory("pureboot-unclean-repaired"),
                true);
        assertThat(repaired.repairs()).extracting(SourceRepair::partition, SourceRepair::tool, SourceRepair::exitCode)
                .containsExactly(tuple(1, "ntfsfix -d " + source.partition(1), 0),
                        tuple(3, "mount -t btrfs " + source.partition(3), 0));
        assertThat(repaired.repairs().get(1).summary()).startsWith("log replayed by mounting it once: the btrfs log "
                + "tree needs replay");
        assertThat(repaired.manifest().partition(1).shrunk()).isTrue();
        // Sized now (the kernel will not shrink a btrfs below 256 MiB, so this 160 MiB one stays as it is).
        assertThat(repaired.manifest().partition(3).minimumSizeBytes()).isPositive();
        assertThat(filesystems.probe(source.partition(3)).needsCheck()).isNull();
        Path root = resources.mount(source.partition(3), "-o", "ro");
        assertThat(FileHashes.sha256(root.resolve("late.bin"))).isEqualTo(unclean.lateSha256());
        resources.unmount(root);
    }

    private SourceCapture.Result capture(Disk source, boolean shrink) throws IOException {
        return capture(source, shrink, resources.tempDirectory("pureboot-unclean-staging"));
    }

    private SourceCapture.Result capture(Disk source, boolean shrink, Path staging) {
        return capture(source, shrink, staging, false);
    }

    private SourceCapture.Result capture(Disk source, boolean shrink, Path staging, boolean repair) {
        try (Cleanup cleanup = new Cleanup()) {
            return new SourceCapture(BlockDevices.system(), filesystems, cleanup).capture(source.blockDevice(),
                    staging, new SourceCapture.Options(shrink, ChunkLayout.DEFAULT_CHUNK_SIZE,
                            CaptureEngine.Options.defaults(CloneFixture.CODEC), repair), new ArrayList<String>()::add,
                    ProgressListener.NONE);
        }
    }
}
