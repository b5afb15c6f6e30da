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
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The agent's FAT parser on damaged boot sectors, made by mkfs.fat and then broken field by field: every damage is a
 * {@code filesystem} failure saying what is wrong and at which byte, never a read past the device ({@code
 * disk_error}), an index out of bounds, or a map that silently leaves clusters out.
 *
 * <p>FAT32: 64 MiB, 131072 sectors of 512 bytes, 1 sector per cluster, 32 reserved, 2 FATs of 1009 sectors. FAT16:
 * 32 MiB, 65536 sectors, 4 per cluster, 4 reserved, 2 FATs of 64 sectors, 512 root entries. mkfs.fat makes each once;
 * every test breaks its own copy ({@link FatImage}).
 */
class FatCorruptMetadataTest {

    @TempDir
    static Path pristine;

    @TempDir
    Path directory;

    @BeforeAll
    static void makeFilesystems() {
        for (int bits : new int[] {16, 32}) {
            Path image = pristine.resolve("fat" + bits + ".img");
            Sys.run("truncate", "-s", (bits == 32 ? 64 : 32) + "M", image.toString());
            Sys.run("mkfs.fat", "-F", Integer.toString(bits), image.toString());
        }
    }

    @Test
    void aCleanFilesystemIsMappedFromItsFat() throws IOException {
        FatImage image = fat32();
        ExtentMap map = image.map().orElseThrow();
        // Reserved sectors and both FATs, then the root directory's cluster.
        assertThat(map.usedBytes()).isGreaterThanOrEqualTo((32 + 2 * 1009 + 1) * 512L);
        assertThat(new Filesystems(CommandRunner.system()).probe(image.path()).filesystemBytes())
                .isEqualTo(64L << 20);
    }

    @Test
    void zeroBytesPerSectorIsDamage() throws IOException {
        FatImage image = fat32().put16(FatFilesystem.BYTES_PER_SECTOR, 0);

        image.assertDamage(11, "boot sector gives 0 bytes per sector (must be 512, 1024, 2048 or 4096)");
        // blkid no longer calls it vfat either: the inventory reports no filesystem and it is copied raw.
        assertThat(new Filesystems(CommandRunner.system()).probe(image.path()).type())
                .isEqualTo(FilesystemType.OTHER);
    }

    @Test
    void sectorsPerClusterThatIsNoPowerOfTwoIsDamage() throws IOException {
        FatImage image = fat32().put8(FatFilesystem.SECTORS_PER_CLUSTER, 3);

        image.assertDamage(13, "boot sector gives 3 sectors per cluster (must be a power of two from 1 to 128)");
        // Where blkid still sees vfat, the probe the inventory makes fails the same way, as filesystem damage.
        image.put8(FatFilesystem.SECTORS_PER_CLUSTER, 1).put32(FatFilesystem.TOTAL_SECTORS_32, 262_144);
        assertThat(Blkid.probe(CommandRunner.system(), image.path()).type()).isEqualTo("vfat");
        assertThatThrownBy(() -> new Filesystems(CommandRunner.system()).probe(image.path()))
                .isInstanceOf(AgentException.class).hasMessageContaining("damaged FAT metadata at byte offset 32")
                .extracting(e -> ((AgentException) e).kind()).isEqualTo(FailureKind.FILESYSTEM);
    }

    @Test
    void zeroReservedSectorsAndZeroFatsAreDamage() throws IOException {
        FatImage image = fat32().put16(FatFilesystem.RESERVED_SECTORS, 0);
        image.assertDamage(14, "boot sector gives 0 reserved sectors (the boot sector itself is one)");

        image.put16(FatFilesystem.RESERVED_SECTORS, 32).put8(FatFilesystem.FAT_COUNT, 0);
        image.assertDamage(16, "boot sector gives 0 FATs");
    }

    @Test
    void aSectorCountBeyondTheDeviceIsDamage() throws IOException {
        fat32().put32(FatFilesystem.TOTAL_SECTORS_32, 262_144)
                .assertDamage(32, "boot sector counts 262144 sectors of 512 bytes, but the device holds 131072");
    }

    @Test
    void aClusterCountBeyondWhatTheFatHoldsIsDamageNotClustersLeftOut() throws IOException {
        // 900-sector FATs hold 115198 clusters; the filesystem then counts 129240 (131072 - 32 - 1800).
        fat32().put32(FatFilesystem.FAT_SECTORS_32, 900).assertDamage(36, "the FAT of 460800 bytes holds 115198 "
                + "clusters, but the filesystem counts 129240 (FAT32)");
    }

    @Test
    void fatsBeyondTheFilesystemAreDamage() throws IOException {
        fat16().put16(FatFilesystem.FAT_SECTORS_16, 0xffff).assertDamage(22, "the 2 FATs of 65535 sectors after 4 "
                + "reserved sectors end at sector 131074, past the filesystem's 65536 sectors");
    }

    @Test
    void aRootDirectoryThatLeavesNoDataAreaIsDamage() throws IOException {
        // 65535 root entries take 4096 sectors; with a 4-sector filesystem nothing is left.
        fat16().put16(FatFilesystem.TOTAL_SECTORS_16, 200).put32(FatFilesystem.TOTAL_SECTORS_32, 0)
                .put16(FatFilesystem.ROOT_ENTRIES, 0xffff)
                .assertDamage(17, "the root directory ends at sector 4228, leaving no data area in the filesystem's "
                        + "200 sectors");
    }

    /** Random geometry bytes (the boot signature kept): either a map inside the device or a filesystem failure. */
    @Test
    void randomBootSectorFieldsAreMappedInsideTheDeviceOrFilesystemDamage() throws IOException {
        FatImage image = copy("fat16.img", "random.img");
        Random random = new Random(15);
        int damaged = 0;
        for (int round = 0; round < 300; round++) {
            byte[] noise = new byte[0x28 - FatFilesystem.BYTES_PER_SECTOR];
            random.nextBytes(noise);
            image.write(FatFilesystem.BYTES_PER_SECTOR, noise);
            try {
                image.map().ifPresent(map -> assertThat(map.lastEnd()).isLessThanOrEqualTo(32L << 20));
            } catch (AgentException e) {
                assertThat(e.kind()).as(e.getMessage()).isEqualTo(FailureKind.FILESYSTEM);
                assertThat(e.getMessage()).startsWith("random.img: damaged FAT metadata at byte offset ");
                damaged++;
            }
        }
        assertThat(damaged).isGreaterThan(250);
    }

    private FatImage fat32() throws IOException {
        return copy("fat32.img", "fat32.img");
    }

    private FatImage fat16() throws IOException {
        return copy("fat16.img", "fat16.img");
    }

    private FatImage copy(String made, String name) throws IOException {
        return new FatImage(Files.copy(pristine.resolve(made), directory.resolve(name)));
    }

    /** A copy of an image mkfs.fat made, broken field by field (little-endian writes at byte offsets). */
    private record FatImage(Path path) {

        Optional<ExtentMap> map() throws IOException {
            try (FileChannel channel = FileChannel.open(path, StandardOpenOption.READ)) {
                return FatFilesystem.usedMap(channel, path.getFileName().toString());
            }
        }

        /** The map fails as filesystem damage, naming this image, the byte offset and {@code reason}. */
        void assertDamage(int offset, String reason) {
            assertThatThrownBy(this::map).isInstanceOf(AgentException.class).hasMessage(path.getFileName()
                            + ": damaged FAT metadata at byte offset " + offset + ": " + reason)
                    .extracting(e -> ((AgentException) e).kind()).isEqualTo(FailureKind.FILESYSTEM);
        }

        FatImage put8(int offset, int value) throws IOException {
            return write(offset, new byte[] {(byte) value});
        }

        FatImage put16(int offset, int value) throws IOException {
            return write(offset, ByteBuffer.allocate(2).order(ByteOrder.LITTLE_ENDIAN).putShort((short) value)
                    .array());
        }

        FatImage put32(int offset, long value) throws IOException {
            return write(offset, ByteBuffer.allocate(4).order(ByteOrder.LITTLE_ENDIAN).putInt((int) value).array());
        }

        FatImage write(int offset, byte[] bytes) throws IOException {
            try (RandomAccessFile file = new RandomAccessFile(path.toFile(), "rw")) {
                file.seek(offset);
                file.write(bytes);
            }
            return this;
        }
    }
}
