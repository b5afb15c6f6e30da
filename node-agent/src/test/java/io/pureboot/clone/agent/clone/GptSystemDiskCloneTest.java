package io.pureboot.clone.agent.clone;

import static io.pureboot.clone.agent.testing.TestDisks.MIB;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.pureboot.clone.agent.AgentException;
import io.pureboot.clone.agent.FailureKind;
import io.pureboot.clone.agent.disk.BlockDevices;
import io.pureboot.clone.agent.disk.PartitionDevice;
import io.pureboot.clone.agent.fs.ExtFilesystem;
import io.pureboot.clone.agent.fs.Filesystems;
import io.pureboot.clone.agent.image.ChunkKind;
import io.pureboot.clone.agent.image.Manifest;
import io.pureboot.clone.agent.image.ManifestChunk;
import io.pureboot.clone.agent.image.ManifestPartition;
import io.pureboot.clone.agent.process.CommandRunner;
import io.pureboot.clone.agent.testing.Plans;
import io.pureboot.clone.agent.testing.SystemResources;
import io.pureboot.clone.agent.testing.Sys;
import io.pureboot.clone.agent.testing.TestDisks;
import io.pureboot.clone.agent.testing.TestDisks.Disk;
import io.pureboot.clone.events.node.DiskInventory;
import io.pureboot.clone.events.node.PartitionInventory;
import io.pureboot.clone.events.node.PartitionTableType;
import io.pureboot.clone.events.resize.ResizePlan;
import io.pureboot.clone.events.session.ResizeMode;
import java.io.IOException;
import java.io.RandomAccessFile;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * A GPT disk with an ESP (FAT32 with files), an ext4 root full of real files (and deleted data in its free blocks)
 * and swap, captured and restored on loop devices: same size, 60% (shrink_source) and 150% (grown).
 */
class GptSystemDiskCloneTest {

    private static final long SOURCE_MIB = 400;

    @RegisterExtension
    static final SystemResources SHARED = SystemResources.perClass();

    @RegisterExtension
    final SystemResources resources = new SystemResources();

    private static Disk source;
    private static Map<String, String> rootHashes;
    private static Map<String, String> espHashes;
    private static long rootFilesystemBytes;

    @BeforeAll
    static void buildSource() throws IOException {
        Sys.assumeRoot();
        Path directory = SHARED.tempDirectory("pureboot-gpt-source");
        source = TestDisks.gptSystemDisk(SHARED, directory, SOURCE_MIB, 300, 70 * MIB);
        rootHashes = TestDisks.mountedHashes(SHARED, source.partition(2), "-o", "ro");
        espHashes = TestDisks.fatHashes(SHARED, source.partition(1));
        rootFilesystemBytes = extSize(source.partition(2));
        assertThat(rootHashes).hasSizeGreaterThan(100).containsKey("hello.txt");
        assertThat(espHashes).containsKey("EFI/BOOT/BOOTX64.EFI");
    }

    @Test
    void inventoryDescribesTheDiskForThePlanner() {
        DiskInventory inventory = new Inventory(BlockDevices.system(), new Filesystems(CommandRunner.system()))
                .describe(source.blockDevice());

        assertThat(inventory.stableId()).isEqualTo("loop:" + source.file());
        assertThat(inventory.sizeBytes()).isEqualTo(SOURCE_MIB * MIB);
        assertThat(inventory.tableType()).isEqualTo(PartitionTableType.GPT);
        assertThat(inventory.partitions()).extracting(PartitionInventory::filesystem)
                .containsExactly("vfat", "ext4", "swap");
        PartitionInventory root = inventory.partitions().get(1);
        assertThat(root.name()).isEqualTo("root");
        assertThat(root.label()).isEqualTo("root");
        assertThat(root.usedBytes()).isBetween(70 * MIB, 130 * MIB);
        assertThat(root.minimumSizeBytes()).isBetween(root.usedBytes(), 300 * MIB);
        assertThat(root.canShrink()).isTrue();
        PartitionInventory esp = inventory.partitions().get(0);
        assertThat(esp.typeId()).isEqualTo("c12a7328-f81f-11d2-ba4b-00a0c93ec93b");
        assertThat(esp.canShrink()).isFalse();
        assertThat(esp.minimumSizeBytes()).isNull();
    }

    @Test
    void sameSizeRestoreReproducesEveryFile() throws IOException {
        Path staging = resources.tempDirectory("pureboot-staging");
        SourceCapture.Result captured = CloneFixture.capture(source.blockDevice(), staging, false, 0);

        Manifest manifest = captured.manifest();
        assertThat(manifest.partitions()).extracting(ManifestPartition::filesystem)
                .containsExactly("vfat", "ext4", "swap");
        // Only what holds data was read: the root's used blocks, the ESP's clusters, the swap header, the table.
        long used = manifest.partitions().stream().mapToLong(p -> p.usedBytes() == null ? 0 : p.usedBytes()).sum();
        assertThat(captured.engine().bytesRead()).isLessThan(used + 16 * MIB);
        assertThat(manifest.chunks()).extracting(ManifestChunk::kind).contains(ChunkKind.UNUSED, ChunkKind.DATA);
        assertImageIsOneValidZstdStream(staging, manifest.disk().sizeBytes());

        Disk target = TestDisks.blank(resources, resources.tempDirectory("pureboot-target"), "same.img",
                SOURCE_MIB * MIB);
        CloneFixture.restore(target.blockDevice(), staging, null, resources.tempDirectory("pureboot-state"), 0);

        verifyTarget(target, Map.of(1, 64 * MIB, 2, 300 * MIB, 3, 32 * MIB));
        assertThat(extSize(target.partition(2))).isEqualTo(rootFilesystemBytes);
    }

    @Test
    void shrinkSourceCaptureRestoresOntoSmallerAndLargerDisksAndLeavesTheSourceAsItWas() throws IOException {
        Path staging = resources.tempDirectory("pureboot-staging");
        SourceCapture.Result captured = CloneFixture.capture(source.blockDevice(), staging, true, 0);

        ManifestPartition root = captured.manifest().partition(2);
        assertThat(root.shrunk()).isTrue();
        assertThat(root.filesystemBytes()).isLessThan(root.sizeBytes() / 2);
        assertSourceUnchanged();

        long smaller = SOURCE_MIB * MIB * 6 / 10;
        ResizePlan shrinkPlan = Plans.plan(captured.manifest(), smaller, ResizeMode.SHRINK_SOURCE,
                Map.of(3, 16 * MIB), 2);
        Disk small = TestDisks.blank(resources, resources.tempDirectory("pureboot-small"), "small.img", smaller);
        CloneFixture.restore(small.blockDevice(), staging, shrinkPlan, resources.tempDirectory("pureboot-state"), 0);
        long smallRoot = shrinkPlan.partitions().get(1).newSizeBytes();
        verifyTarget(small, Map.of(1, 64 * MIB, 2, smallRoot, 3, 16 * MIB));
        assertThat(extSize(small.partition(2))).isEqualTo(smallRoot);

        long larger = SOURCE_MIB * MIB * 3 / 2;
        ResizePlan growPlan = Plans.plan(captured.manifest(), larger, ResizeMode.GROW_TARGET, Map.of(), 2);
        Disk large = TestDisks.blank(resources, resources.tempDirectory("pureboot-large"), "large.img", larger);
        CloneFixture.restore(large.blockDevice(), staging, growPlan, resources.tempDirectory("pureboot-state"), 0);
        long largeRoot = growPlan.partitions().get(1).newSizeBytes();
        verifyTarget(large, Map.of(1, 64 * MIB, 2, largeRoot, 3, 32 * MIB));
        assertThat(extSize(large.partition(2))).isEqualTo(largeRoot);
    }

    @Test
    void interruptedCaptureAndRestoreResumeFromTheLastCompleteChunk() throws IOException {
        Path reference = resources.tempDirectory("pureboot-reference");
        SourceCapture.Result uninterrupted = CloneFixture.capture(source.blockDevice(), reference, false, 0);

        Path staging = resources.tempDirectory("pureboot-staging");
        assertThatThrownBy(() -> CloneFixture.capture(source.blockDevice(), staging, false, 7))
                .isInstanceOfSatisfying(AgentException.class,
                        e -> assertThat(e.kind()).isEqualTo(FailureKind.INTERRUPTED));
        assertThat(staging.resolve(Manifest.FILE_NAME)).doesNotExist();
        SourceCapture.Result resumed = CloneFixture.capture(source.blockDevice(), staging, false, 0);
        assertThat(resumed.engine().resumedChunks()).isEqualTo(7);
        assertThat(resumed.manifest().chunks()).isEqualTo(uninterrupted.manifest().chunks());
        assertThat(Files.mismatch(staging.resolve(Manifest.IMAGE_FILE_NAME),
                reference.resolve(Manifest.IMAGE_FILE_NAME))).isEqualTo(-1);

        Disk target = TestDisks.blank(resources, resources.tempDirectory("pureboot-target"), "resume.img",
                SOURCE_MIB * MIB);
        Path state = resources.tempDirectory("pureboot-state");
        assertThatThrownBy(() -> CloneFixture.restore(target.blockDevice(), staging, null, state, 20))
                .isInstanceOfSatisfying(AgentException.class,
                        e -> assertThat(e.kind()).isEqualTo(FailureKind.INTERRUPTED));
        TargetRestore.Result restored = CloneFixture.restore(target.blockDevice(), staging, null, state, 0);
        assertThat(restored.engine().resumedFrom()).isEqualTo(20);
        verifyTarget(target, Map.of(1, 64 * MIB, 2, 300 * MIB, 3, 32 * MIB));
    }

    @Test
    void aFlippedByteInTheImageStopsTheRestoreNamingTheChunk() throws IOException {
        Path staging = resources.tempDirectory("pureboot-staging");
        SourceCapture.Result captured = CloneFixture.capture(source.blockDevice(), staging, false, 0);
        ManifestChunk victim = captured.manifest().chunks().stream()
                .filter(c -> c.kind() == ChunkKind.DATA && c.partition() == 2).skip(3).findFirst().orElseThrow();
        try (RandomAccessFile image = new RandomAccessFile(staging.resolve(Manifest.IMAGE_FILE_NAME).toFile(), "rw")) {
            long position = victim.compressedOffset() + victim.compressedSize() / 2;
            image.seek(position);
            int original = image.read();
            image.seek(position);
            image.write(original ^ 0x01);
        }
        Disk target = TestDisks.blank(resources, resources.tempDirectory("pureboot-target"), "corrupt.img",
                SOURCE_MIB * MIB);

        assertThatThrownBy(() -> CloneFixture.restore(target.blockDevice(), staging, null,
                resources.tempDirectory("pureboot-state"), 0))
                .isInstanceOfSatisfying(AgentException.class, e -> {
                    assertThat(e.kind()).isEqualTo(FailureKind.IMAGE_CORRUPT);
                    assertThat(e.getMessage()).startsWith("chunk " + victim.index() + " (source bytes "
                            + victim.offset() + "-" + (victim.end() - 1) + ", partition 2, image bytes "
                            + victim.compressedOffset() + "+" + victim.compressedSize() + ") failed verification: ");
                });
        // The bad chunk never reached the disk and no table was written.
        assertThat(readAt(target.file(), victim.offset() - victim.offset() % 4096, 4096)).containsOnly(0);
        assertThat(readAt(target.file(), 512, 8)).containsOnly(0);
    }

    @Test
    void aPlanThatCutsIntoTheFilesystemIsRefusedBeforeAnythingIsWritten() throws IOException {
        Path staging = resources.tempDirectory("pureboot-staging");
        SourceCapture.Result captured = CloneFixture.capture(source.blockDevice(), staging, false, 0);
        long smaller = SOURCE_MIB * MIB * 6 / 10;
        ResizePlan plan = Plans.plan(captured.manifest(), smaller, ResizeMode.SHRINK_SOURCE, Map.of(3, 16 * MIB), 2);
        Disk target = TestDisks.blank(resources, resources.tempDirectory("pureboot-target"), "refused.img", smaller);

        assertThatThrownBy(() -> CloneFixture.restore(target.blockDevice(), staging, plan,
                resources.tempDirectory("pureboot-state"), 0))
                .isInstanceOfSatisfying(AgentException.class, e -> {
                    assertThat(e.kind()).isEqualTo(FailureKind.PLAN);
                    assertThat(e.getMessage()).startsWith("plan cannot be carried out: partition 2 needs at least "
                            + rootFilesystemBytes + " bytes for its ext4 filesystem, the plan gives ");
                });
        assertThat(readAt(target.file(), 0, 1 << 20)).containsOnly(0);
    }

    private static void assertSourceUnchanged() throws IOException {
        assertThat(Sys.runUnchecked("e2fsck", "-f", "-n", source.partition(2).toString()).exitCode()).isZero();
        assertThat(extSize(source.partition(2))).isEqualTo(rootFilesystemBytes);
        assertThat(TestDisks.mountedHashes(SHARED, source.partition(2), "-o", "ro")).isEqualTo(rootHashes);
    }

    private void verifyTarget(Disk target, Map<Integer, Long> sizes) throws IOException {
        assertThat(Sys.run("sgdisk", "-v", target.device().toString()).stdout()).contains("No problems found");
        List<PartitionDevice> partitions = BlockDevices.system().partitions(target.blockDevice());
        assertThat(partitions).hasSize(3);
        for (PartitionDevice partition : partitions) {
            assertThat(partition.sizeBytes()).as("partition %d size", partition.number())
                    .isEqualTo(sizes.get(partition.number()));
        }
        assertThat(Sys.runUnchecked("fsck.fat", "-n", target.partition(1).toString()).exitCode()).isZero();
        assertThat(Sys.runUnchecked("e2fsck", "-f", "-n", target.partition(2).toString()).exitCode()).isZero();
        assertThat(TestDisks.fatHashes(resources, target.partition(1))).isEqualTo(espHashes);
        assertThat(TestDisks.mountedHashes(resources, target.partition(2), "-o", "ro")).isEqualTo(rootHashes);
        for (String tag : List.of("TYPE", "UUID", "LABEL")) {
            assertThat(TestDisks.blkid(target.partition(3), tag)).isEqualTo(TestDisks.blkid(source.partition(3), tag))
                    .isNotEmpty();
            assertThat(TestDisks.blkid(target.partition(2), tag)).isEqualTo(TestDisks.blkid(source.partition(2), tag));
        }
        assertThat(TestDisks.blkid(target.partition(2), "PARTUUID"))
                .isEqualTo(TestDisks.blkid(source.partition(2), "PARTUUID"));
    }

    private static void assertImageIsOneValidZstdStream(Path staging, long diskBytes) {
        Path image = staging.resolve(Manifest.IMAGE_FILE_NAME);
        Sys.run("zstd", "-q", "-t", image.toString());
        String size = Sys.run("sh", "-c", "zstd -q -dc '" + image + "' | wc -c").stdout().strip();
        assertThat(Long.parseLong(size)).isEqualTo(diskBytes);
    }

    static long extSize(Path device) throws IOException {
        try (FileChannel channel = FileChannel.open(device, StandardOpenOption.READ)) {
            return ExtFilesystem.superblock(channel, device.toString()).orElseThrow().sizeBytes();
        }
    }

    private static byte[] readAt(Path file, long offset, int length) throws IOException {
        try (RandomAccessFile in = new RandomAccessFile(file.toFile(), "r")) {
            byte[] bytes = new byte[length];
            in.seek(offset);
            in.readFully(bytes);
            return bytes;
        }
    }
}
