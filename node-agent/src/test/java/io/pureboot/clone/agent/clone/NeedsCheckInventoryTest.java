package io.pureboot.clone.agent.clone;

import static io.pureboot.clone.agent.testing.TestDisks.MIB;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.pureboot.clone.agent.AgentException;
import io.pureboot.clone.agent.Cleanup;
import io.pureboot.clone.agent.FailureKind;
import io.pureboot.clone.agent.disk.BlockDevices;
import io.pureboot.clone.agent.fs.Filesystems;
import io.pureboot.clone.agent.image.CaptureEngine;
import io.pureboot.clone.agent.image.ChunkLayout;
import io.pureboot.clone.agent.image.ProgressListener;
import io.pureboot.clone.agent.process.CommandRunner;
import io.pureboot.clone.agent.testing.FileHashes;
import io.pureboot.clone.agent.testing.Sys;
import io.pureboot.clone.agent.testing.SystemResources;
import io.pureboot.clone.agent.testing.TestDisks;
import io.pureboot.clone.agent.testing.TestDisks.Disk;
import io.pureboot.clone.events.node.DiskInventory;
import io.pureboot.clone.events.node.PartitionInventory;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * An ext4 whose journal needs recovery (as after a power cut: the needs_recovery feature set) passes {@code e2fsck
 * -fn} but makes {@code resize2fs -P} refuse. The inventory reports it as {@code needs_check} with the reason and no
 * minimum (so the planner cannot size it wrongly), and shrink_source stops before changing the source unless the
 * session asks for repair_source, which replays the journal.
 */
class NeedsCheckInventoryTest {

    @RegisterExtension
    final SystemResources resources = new SystemResources();

    @Test
    void aJournalThatNeedsRecoveryIsReportedAndNotShrunkOnAGuess() throws IOException {
        Sys.assumeRoot();
        Disk source = TestDisks.blank(resources, resources.tempDirectory("pureboot-needs-check"), "source.img",
                200 * MIB);
        TestDisks.partition(resources, source, "-n1:1MiB:+96MiB", "-t1:8300", "-n2:0:+96MiB", "-t2:8300");
        for (int number = 1; number <= 2; number++) {
            Sys.run("mkfs.ext4", "-q", "-F", "-b", "4096", source.partition(number).toString());
            Path root = resources.mount(source.partition(number));
            FileHashes.copySample(root.resolve("usr"), 8 * MIB, "/usr/bin");
            resources.unmount(root);
        }
        Sys.run("debugfs", "-w", "-R", "feature needs_recovery", source.partition(1).toString());
        // What the issue saw: the read-only check calls it clean, the size tool refuses.
        assertThat(Sys.runUnchecked("e2fsck", "-f", "-n", source.partition(1).toString()).exitCode()).isZero();
        assertThat(Sys.runUnchecked("resize2fs", "-P", source.partition(1).toString()).exitCode()).isNotZero();

        DiskInventory inventory = new Inventory(BlockDevices.system(), new Filesystems(CommandRunner.system()))
                .describe(source.blockDevice());

        PartitionInventory unclean = inventory.partitions().get(0);
        assertThat(unclean.filesystem()).isEqualTo("ext4");
        assertThat(unclean.needsCheck()).startsWith("the ext journal needs recovery");
        assertThat(unclean.minimumSizeBytes()).isNull();
        assertThat(unclean.canShrink()).isFalse();
        assertThat(unclean.canGrow()).isFalse();
        PartitionInventory clean = inventory.partitions().get(1);
        assertThat(clean.needsCheck()).isNull();
        assertThat(clean.minimumSizeBytes()).isPositive();
        assertThat(clean.canShrink()).isTrue();

        String before = FileHashes.sha256(source.device());
        assertThatThrownBy(() -> capture(source, false, new ArrayList<>())).isInstanceOf(AgentException.class)
                .hasMessageContaining(source.partition(1) + " (ext4): the ext journal needs recovery")
                .extracting(e -> ((AgentException) e).kind()).isEqualTo(FailureKind.FILESYSTEM);
        assertThat(FileHashes.sha256(source.device())).isEqualTo(before);

        List<String> phases = new ArrayList<>();
        SourceCapture.Result repaired = capture(source, true, phases);
        assertThat(phases).containsSubsequence("repairing_source", "shrinking", "uploading", "growing_source");
        assertThat(repaired.manifest().partition(1).shrunk()).isTrue();
        assertThat(Sys.run("dumpe2fs", "-h", source.partition(1).toString()).stdout()).doesNotContain("needs_recovery");
    }

    private SourceCapture.Result capture(Disk source, boolean repair, List<String> phases) throws IOException {
        Path staging = resources.tempDirectory("pureboot-needs-check-staging");
        try (Cleanup cleanup = new Cleanup()) {
            return new SourceCapture(BlockDevices.system(), new Filesystems(CommandRunner.system()), cleanup).capture(
                    source.blockDevice(), staging, new SourceCapture.Options(true, ChunkLayout.DEFAULT_CHUNK_SIZE,
                            CaptureEngine.Options.defaults(CloneFixture.CODEC), repair), phases::add,
                    ProgressListener.NONE);
        }
    }
}
