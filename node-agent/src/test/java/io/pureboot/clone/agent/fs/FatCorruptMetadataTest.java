package io.pureboot.clone.agent.fs;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.pureboot.clone.agent.AgentException;
import io.pureboot.clone.agent.FailureKind;
import io.pureboot.clone.agent.process.CommandRunner;
import io.pureboot.clone.agent.testing.Sys;
import java.io.IOException;
import java.io.RandomAccessFile;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.Optional;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The agent's FAT parser on damaged boot sectors, made by mkfs.fat and then broken field by field: every damage is a
 * {@code filesystem} failure saying what is wrong and at which byte, never a read past the device ({@code
 * disk_error}), an index out of bounds, or a map that silently leaves clusters out.
 *
 * <p>FAT32: 64 MiB, 131072 sectors of 512 bytes, 1 sector per cluster, 32 reserved, 2 FATs of 1009 sectors. FAT16:
 * 32 MiB, 65536 sectors, 4 per cluster, 4 reserved, 2 FATs of 64 sectors, 512 root entries.
 */
class FatCorruptMetadataTest {

    @TempDir
    Path directory;

    @Test
    void aCleanFilesystemIsMappedFromItsFat() throws IOException {
        Path image = fat(32, "fat32.img", 64);
        ExtentMap map = map(image).orElseThrow();
        // Reserved sectors and both FATs, then the root directory's cluster.
        assertThat(map.usedBytes()).isGreaterThanOrEqualTo((32 + 2 * 1009 + 1) * 512L);
        assertThat(new Filesystems(CommandRunner.system()).probe(image).filesystemBytes()).isEqualTo(64L << 20);
    }

    @Test
    void zeroBytesPerSectorIsDamage() throws IOException {
        Path image = fat(32, "fat32.img", 64);
        put16(image, FatFilesystem.BYTES_PER_SECTOR, 0);

        assertDamage(image, "fat32.img: damaged FAT metadata at byte offset 11: boot sector gives 0 bytes per sector "
                + "(must be 512, 1024, 2048 or 4096)");
        // blkid no longer calls it vfat either: the inventory reports no filesystem and it is copied raw.
        assertThat(new Filesystems(CommandRunner.system()).probe(image).type()).isEqualTo(FilesystemType.OTHER);
    }

    @Test
    void sectorsPerClusterThatIsNoPowerOfTwoIsDamage() throws IOException {
        Path image = fat(32, "fat32.img", 64);
        put8(image, FatFilesystem.SECTORS_PER_CLUSTER, 3);

        assertDamage(image, "fat32.img: damaged FAT metadata at byte offset 13: boot sector gives 3 sectors per "
                + "cluster (must be a power of two from 1 to 128)");
        // Where blkid still sees vfat, the probe the inventory makes fails the same way, as filesystem damage.
        put8(image, FatFilesystem.SECTORS_PER_CLUSTER, 1);
        put32(image, FatFilesystem.TOTAL_SECTORS_32, 262_144);
        assertThat(Blkid.probe(CommandRunner.system(), image).type()).isEqualTo("vfat");
        assertThatThrownBy(() -> new Filesystems(CommandRunner.system()).probe(image))
                .isInstanceOf(AgentException.class).hasMessageContaining("damaged FAT metadata at byte offset 32")
                .extracting(e -> ((AgentException) e).kind()).isEqualTo(FailureKind.FILESYSTEM);
    }

    @Test
    void zeroReservedSectorsAndZeroFatsAreDamage() throws IOException {
        Path image = fat(32, "fat32.img", 64);
        put16(image, FatFilesystem.RESERVED_SECTORS, 0);
        assertDamage(image, "fat32.img: damaged FAT metadata at byte offset 14: boot sector gives 0 reserved sectors "
                + "(the boot sector itself is one)");

        put16(image, FatFilesystem.RESERVED_SECTORS, 32);
        put8(image, FatFilesystem.FAT_COUNT, 0);
        assertDamage(image, "fat32.img: damaged FAT metadata at byte offset 16: boot sector gives 0 FATs");
    }

    @Test
    void aSectorCountBeyondTheDeviceIsDamage() throws IOException {
        Path image = fat(32, "fat32.img", 64);
        put32(image, FatFilesystem.TOTAL_SECTORS_32, 262_144);

        assertDamage(image, "fat32.img: damaged FAT metadata at byte offset 32: boot sector counts 262144 sectors of "
                + "512 bytes, but the device holds 131072");
    }

    @Test
    void aClusterCountBeyondWhatTheFatHoldsIsDamageNotClustersLeftOut() throws IOException {
        Path image = fat(32, "fat32.img", 64);
        // 900-sector FATs hold 115198 clusters; the filesystem then counts 129240 (131072 - 32 - 1800).
        put32(image, FatFilesystem.FAT_SECTORS_32, 900);

        assertDamage(image, "fat32.img: damaged FAT metadata at byte offset 36: the FAT of 460800 bytes holds 115198 "
                + "clusters, but the filesystem counts 129240 (FAT32)");
    }

    @Test
    void fatsBeyondTheFilesystemAreDamage() throws IOException {
        Path image = fat(16, "fat16.img", 32);
        put16(image, FatFilesystem.FAT_SECTORS_16, 0xffff);

        assertDamage(image, "fat16.img: damaged FAT metadata at byte offset 22: the 2 FATs of 65535 sectors after 4 "
                + "reserved sectors end at sector 131074, past the filesystem's 65536 sectors");
    }

    @Test
    void aRootDirectoryThatLeavesNoDataAreaIsDamage() throws IOException {
        Path image = fat(16, "fat16.img", 32);
        // 65535 root entries take 4096 sectors; with a 4-sector filesystem nothing is left.
        put16(image, FatFilesystem.TOTAL_SECTORS_16, 200);
        put32(image, FatFilesystem.TOTAL_SECTORS_32, 0);
        put16(image, FatFilesystem.ROOT_ENTRIES, 0xffff);

        assertDamage(image, "fat16.img: damaged FAT metadata at byte offset 17: the root directory ends at sector 4228, "
                + "leaving no data area in the filesystem's 200 sectors");
    }

    /** Random geometry bytes (the boot signature kept): either a map inside the device or a filesystem failure. */
    @Test
    void randomBootSectorFieldsAreMappedInsideTheDeviceOrFilesystemDamage() throws IOException {
        Path image = Files.move(fat(16, "fat16.img", 32), directory.resolve("random.img"));
        Random random = new Random(15);
        int damaged = 0;
        for (int round = 0; round < 300; round++) {
            byte[] noise = new byte[0x28 - FatFilesystem.BYTES_PER_SECTOR];
            random.nextBytes(noise);
            write(image, FatFilesystem.BYTES_PER_SECTOR, noise);
            try {
                map(image).ifPresent(map -> assertThat(map.lastEnd()).isLessThanOrEqualTo(32L << 20));
            } catch (AgentException e) {
                assertThat(e.kind()).as(e.getMessage()).isEqualTo(FailureKind.FILESYSTEM);
                assertThat(e.getMessage()).startsWith("random.img: damaged FAT metadata at byte offset ");
                damaged++;
            }
        }
        assertThat(damaged).isGreaterThan(250);
    }

    private Path fat(int bits, String name, int mebibytes) {
        Path image = directory.resolve(name);
        Sys.run("truncate", "-s", mebibytes + "M", image.toString());
        Sys.run("mkfs.fat", "-F", Integer.toString(bits), image.toString());
        return image;
    }

    private static Optional<ExtentMap> map(Path image) throws IOException {
        try (FileChannel channel = FileChannel.open(image, StandardOpenOption.READ)) {
            return FatFilesystem.usedMap(channel, image.getFileName().toString());
        }
    }

    private static void assertDamage(Path image, String message) {
        assertThatThrownBy(() -> map(image)).isInstanceOf(AgentException.class).hasMessage(message)
                .extracting(e -> ((AgentException) e).kind()).isEqualTo(FailureKind.FILESYSTEM);
    }

    private static void put8(Path image, int offset, int value) throws IOException {
        write(image, offset, new byte[] {(byte) value});
    }

    private static void put16(Path image, int offset, int value) throws IOException {
        write(image, offset, ByteBuffer.allocate(2).order(ByteOrder.LITTLE_ENDIAN).putShort((short) value).array());
    }

    private static void put32(Path image, int offset, long value) throws IOException {
        write(image, offset, ByteBuffer.allocate(4).order(ByteOrder.LITTLE_ENDIAN).putInt((int) value).array());
    }

    private static void write(Path image, int offset, byte[] bytes) throws IOException {
        try (RandomAccessFile file = new RandomAccessFile(image.toFile(), "rw")) {
            file.seek(offset);
            file.write(bytes);
        }
    }
}
