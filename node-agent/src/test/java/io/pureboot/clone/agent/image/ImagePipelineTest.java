package io.pureboot.clone.agent.image;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.pureboot.clone.agent.AgentException;
import io.pureboot.clone.agent.FailureKind;
import io.pureboot.clone.agent.fs.ExtentMap;
import io.pureboot.clone.agent.table.TablePartition;
import io.pureboot.clone.agent.testing.Sys;
import io.pureboot.clone.events.node.PartitionTableType;
import java.io.IOException;
import java.io.RandomAccessFile;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Capture and restore on plain files (no root needed): the frames form one zstd stream of the disk, unused ranges are
 * never read and come back as zeros, partitions move, a resumed capture writes the same image, corruption is caught.
 */
class ImagePipelineTest {

    private static final int MIB = 1 << 20;
    private static final long DISK = 40L * MIB;
    private static final String LINUX = "0fc63daf-8483-4772-8e79-3d69d8477de4";

    @TempDir
    Path directory;

    /** A disk with partition 1 at 1 MiB (12 MiB, mapped: only [0, 3 MiB) and [8 MiB, 9 MiB) used) and 2 unmapped. */
    private Path disk() throws IOException {
        Path file = directory.resolve("disk.raw");
        byte[] bytes = new byte[(int) DISK];
        Random random = new Random(42);
        for (int i = 0; i < bytes.length; i += 4096) {
            // compressible but not trivially: text-like runs with random bytes sprinkled in
            for (int j = 0; j < 4096; j++) {
                bytes[i + j] = (byte) (j % 61 == 0 ? random.nextInt() : 'a' + (i / 4096 + j) % 26);
            }
        }
        java.util.Arrays.fill(bytes, 22 * MIB, 26 * MIB, (byte) 0);
        Files.write(file, bytes);
        return file;
    }

    private static List<CaptureChunk> chunks() {
        List<TablePartition> partitions = List.of(
                new TablePartition(1, MIB, 12L * MIB, LINUX, "aaaaaaaa-bbbb-4ccc-8ddd-eeeeeeeeeeee", null, 0, false,
                        false),
                new TablePartition(2, 14L * MIB, 20L * MIB, LINUX, "aaaaaaaa-bbbb-4ccc-8ddd-eeeeeeeeeeef", null, 0,
                        false, false));
        ExtentMap used = new ExtentMap().add(0, 3L * MIB).add(8L * MIB, MIB);
        List<CaptureChunk> chunks = new ArrayList<>();
        for (ChunkSpec spec : ChunkLayout.plan(DISK, partitions, 4 * MIB)) {
            chunks.add(spec.partition() == 1 ? CaptureChunk.fromMap(spec, used) : CaptureChunk.all(spec));
        }
        return chunks;
    }

    private CaptureEngine.Result capture(Path disk, Path out, int stopAfter) throws IOException {
        CaptureEngine engine = new CaptureEngine(CaptureEngine.Options.defaults(ChunkCodec.zstdJni(3))
                .stoppingAfter(stopAfter));
        try (FileChannel source = FileChannel.open(disk, StandardOpenOption.READ)) {
            return engine.capture(source, "disk.raw", DISK, chunks(), out, ProgressListener.NONE);
        }
    }

    private static Manifest manifest(CaptureEngine.Result result) {
        List<ManifestPartition> partitions = List.of(
                new ManifestPartition(1, MIB, 12L * MIB, LINUX, "aaaaaaaa-bbbb-4ccc-8ddd-eeeeeeeeeeee", null, 0, false,
                        false, "ext4", null, null, 10L * MIB, 4L * MIB, null, false, 1, 3),
                new ManifestPartition(2, 14L * MIB, 20L * MIB, LINUX, "aaaaaaaa-bbbb-4ccc-8ddd-eeeeeeeeeeef", null, 0,
                        false, false, null, null, null, null, null, null, false, 5, 5));
        return new Manifest(Manifest.FORMAT_VERSION, "test", 4 * MIB, "zstd", 3,
                new ManifestDisk("test-disk", null, null, null, DISK, 512, 512),
                new ManifestTable(PartitionTableType.GPT, 512, "5b1c4d2e-0000-4000-8000-000000000001", 0, 128),
                partitions, result.chunks(), result.imageBytes());
    }

    @Test
    void framesFormOneZstdStreamOfTheDiskWithUnusedRangesAsZeros() throws IOException {
        Path disk = disk();
        Path out = Files.createDirectories(directory.resolve("image"));

        CaptureEngine.Result result = capture(disk, out, 0);
        Manifest manifest = manifest(result);
        manifest.validate();

        assertThat(result.bytesRead()).isEqualTo(DISK - 12L * MIB + 4L * MIB);
        // gap | partition 1: used, free, used | gap | partition 2 (unmapped, one all-zero chunk) | gap
        assertThat(result.chunks()).extracting(ManifestChunk::kind).containsExactly(ChunkKind.DATA, ChunkKind.DATA,
                ChunkKind.UNUSED, ChunkKind.DATA, ChunkKind.DATA, ChunkKind.DATA, ChunkKind.DATA, ChunkKind.ZERO,
                ChunkKind.DATA, ChunkKind.DATA, ChunkKind.DATA, ChunkKind.DATA);
        Path decompressed = directory.resolve("decompressed.raw");
        Sys.run("sh", "-c", "zstd -q -dc " + out.resolve(Manifest.IMAGE_FILE_NAME) + " > " + decompressed);
        byte[] expected = Files.readAllBytes(disk);
        java.util.Arrays.fill(expected, MIB + 3 * MIB, MIB + 8 * MIB, (byte) 0);
        java.util.Arrays.fill(expected, MIB + 9 * MIB, MIB + 12 * MIB, (byte) 0);
        assertThat(Files.mismatch(decompressed, write(directory.resolve("expected.raw"), expected))).isEqualTo(-1);
    }

    @Test
    void restoreMovesPartitionsAndRestoresAResumedRunToTheSameBytes() throws IOException {
        Path disk = disk();
        Path out = Files.createDirectories(directory.resolve("image"));
        assertThatThrownBy(() -> capture(disk, out, 4)).isInstanceOfSatisfying(AgentException.class,
                e -> assertThat(e.kind()).isEqualTo(FailureKind.INTERRUPTED));
        CaptureEngine.Result result = capture(disk, out, 0);
        assertThat(result.resumedChunks()).isEqualTo(4);
        Manifest manifest = manifest(result);
        manifest.write(out);

        long targetSize = 64L * MIB;
        RestoreLayout layout = RestoreLayout.create(manifest, List.of(new RestoreLayout.Target(1, 2L * MIB, 16L * MIB),
                new RestoreLayout.Target(2, 20L * MIB, 30L * MIB)), targetSize, 512, 34 * 512, targetSize - 33 * 512);
        Path target = directory.resolve("target.raw");
        write(target, new byte[(int) targetSize]);
        Path journal = directory.resolve("state/restore.journal");
        RestoreEngine engine = new RestoreEngine(RestoreEngine.Options.defaults(ChunkCodec.zstdJni(3)));
        try (TargetDisk channel = TargetDisk.open(target)) {
            RestoreEngine interrupted = new RestoreEngine(RestoreEngine.Options.defaults(ChunkCodec.zstdJni(3))
                    .stoppingAfter(6));
            try (RestoreJournal first = RestoreJournal.open(journal, "f")) {
                assertThatThrownBy(() -> interrupted.restore(out, layout, channel, first,
                        ProgressListener.NONE)).isInstanceOf(AgentException.class);
            }
            try (RestoreJournal second = RestoreJournal.open(journal, "f")) {
                assertThat(second.next()).isEqualTo(6);
                RestoreEngine.Result restored = engine.restore(out, layout, channel, second,
                        ProgressListener.NONE);
                assertThat(restored.resumedFrom()).isEqualTo(6);
            }
        }
        byte[] source = Files.readAllBytes(disk);
        byte[] restored = Files.readAllBytes(target);
        assertThat(slice(restored, 2 * MIB, 3 * MIB)).isEqualTo(slice(source, MIB, 3 * MIB));
        assertThat(slice(restored, 10 * MIB, MIB)).isEqualTo(slice(source, 9 * MIB, MIB));
        assertThat(slice(restored, 20 * MIB, 20 * MIB)).isEqualTo(slice(source, 14 * MIB, 20 * MIB));
        // The source's GPT area was not copied: the new table is written over zeros.
        assertThat(slice(restored, 440, 34 * 512 - 440)).containsOnly(0);
    }

    @Test
    void aFlippedByteIsCaughtByTheChunkHash() throws IOException {
        Path disk = disk();
        Path out = Files.createDirectories(directory.resolve("image"));
        Manifest manifest = manifest(capture(disk, out, 0));
        ManifestChunk victim = manifest.chunks().get(9);
        try (RandomAccessFile image = new RandomAccessFile(out.resolve(Manifest.IMAGE_FILE_NAME).toFile(), "rw")) {
            image.seek(victim.compressedOffset() + victim.compressedSize() - 8);
            int value = image.read();
            image.seek(victim.compressedOffset() + victim.compressedSize() - 8);
            image.write(value ^ 0x10);
        }
        RestoreLayout layout = RestoreLayout.create(manifest, List.of(new RestoreLayout.Target(1, MIB, 12L * MIB),
                new RestoreLayout.Target(2, 14L * MIB, 20L * MIB)), DISK, 512, 34 * 512, DISK - 33 * 512);
        Path target = write(directory.resolve("target.raw"), new byte[(int) DISK]);
        try (TargetDisk channel = TargetDisk.open(target);
                RestoreJournal journal = RestoreJournal.open(directory.resolve("j"), "x")) {
            assertThatThrownBy(() -> new RestoreEngine(RestoreEngine.Options.defaults(ChunkCodec.zstdJni(3)))
                    .restore(out, layout, channel, journal, ProgressListener.NONE))
                    .isInstanceOfSatisfying(AgentException.class, e -> {
                        assertThat(e.kind()).isEqualTo(FailureKind.IMAGE_CORRUPT);
                        assertThat(e.getMessage()).startsWith("chunk 9 (source bytes 31457280-35651583, partition 2, "
                                + "image bytes " + victim.compressedOffset() + "+" + victim.compressedSize()
                                + ") failed verification: ");
                    });
        }
    }

    @Test
    void aPlanPuttingUsedDataBeyondTheNewEndIsRefused() throws IOException {
        Manifest manifest = manifest(capture(disk(), Files.createDirectories(directory.resolve("image")), 0));

        assertThatThrownBy(() -> RestoreLayout.create(manifest, List.of(new RestoreLayout.Target(1, MIB, 8L * MIB)),
                DISK, 512, 34 * 512, DISK - 33 * 512))
                .hasMessage("plan cannot be carried out: partition 1 needs at least 10485760 bytes for its ext4 "
                        + "filesystem, the plan gives 8388608");
        assertThatThrownBy(() -> RestoreLayout.create(manifest, List.of(new RestoreLayout.Target(2, MIB, 19L * MIB)),
                DISK, 512, 34 * 512, DISK - 33 * 512))
                .hasMessage("plan cannot be carried out: partition 2 needs at least 20971520 bytes for its raw "
                        + "content, the plan gives 19922944");
        assertThatThrownBy(() -> RestoreLayout.create(manifest, List.of(new RestoreLayout.Target(1, MIB + 512,
                12L * MIB)), DISK, 4096, 34 * 512, DISK - 33 * 512))
                .hasMessageContaining("is not aligned to the target's 4096-byte sectors");
    }

    @Test
    void aircompressorAndZstdJniReadEachOthersFrames() {
        byte[] data = "the same frame format either way; ".repeat(5000).getBytes(java.nio.charset.StandardCharsets.UTF_8);
        for (ChunkCodec writer : List.of(ChunkCodec.zstdJni(3), ChunkCodec.aircompressor())) {
            byte[] frame = new byte[writer.maxCompressedLength(data.length)];
            int size = writer.compress(data, data.length, frame);
            for (ChunkCodec reader : List.of(ChunkCodec.zstdJni(3), ChunkCodec.aircompressor())) {
                byte[] back = new byte[data.length];
                reader.decompress(frame, 0, size, back, data.length);
                assertThat(back).as(writer.description() + " -> " + reader.description()).isEqualTo(data);
            }
        }
    }

    private static byte[] slice(byte[] bytes, int offset, int length) {
        return java.util.Arrays.copyOfRange(bytes, offset, offset + length);
    }

    private static Path write(Path path, byte[] bytes) throws IOException {
        Files.write(path, bytes);
        return path;
    }
}
