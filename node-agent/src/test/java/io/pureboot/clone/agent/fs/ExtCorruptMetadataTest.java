package io.pureboot.clone.agent.fs;

import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.pureboot.clone.agent.AgentException;
import io.pureboot.clone.agent.FailureKind;
import io.pureboot.clone.agent.testing.Sys;
import java.io.IOException;
import java.io.RandomAccessFile;
import java.nio.channels.FileChannel;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.Arrays;
import java.util.Random;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The agent's ext parser on damaged metadata (a 96 MiB ext4 in a plain file, 4 KiB blocks, 64-bit descriptors at byte
 * 4096): every damage is a {@code filesystem} failure saying what is wrong and at which byte, never accepted (block
 * numbers compared unsigned) and never a {@code disk_error} from reading where a broken field points.
 */
class ExtCorruptMetadataTest {

    private static final long DESCRIPTORS = 4096;

    @TempDir
    Path directory;

    private Path image;

    @BeforeEach
    void makeFilesystem() {
        image = directory.resolve("ext4.img");
        Sys.run("truncate", "-s", "96M", image.toString());
        Sys.run("mkfs.ext4", "-q", "-F", "-b", "4096", "-O", "64bit", image.toString());
    }

    @Test
    void aGroupDescriptorFilledWithOnesIsDamageNotAHugeBlockNumber() throws IOException {
        byte[] ones = new byte[64];
        Arrays.fill(ones, (byte) 0xff);
        write(DESCRIPTORS, ones);

        assertDamage("ext4.img: damaged ext metadata at byte offset 4096: group descriptor 0 points its block bitmap "
                + "at block 18446744073709551615, outside the filesystem's blocks 0-24575");
    }

    @Test
    void randomBytesInTheDescriptorsAreFilesystemDamageNotADiskError() throws IOException {
        byte[] noise = new byte[256];
        new Random(15).nextBytes(noise);
        write(DESCRIPTORS, noise);

        assertThatThrownBy(this::map).isInstanceOf(AgentException.class)
                .hasMessageContaining("ext4.img: damaged ext metadata at byte offset 40")
                .hasMessageContaining("outside the filesystem's blocks 0-24575")
                .extracting(e -> ((AgentException) e).kind()).isEqualTo(FailureKind.FILESYSTEM);
    }

    @Test
    void aBlockCountBeyondTheDeviceIsDamage() throws IOException {
        // s_blocks_count_lo at superblock offset 0x04: claim 2^31 blocks on a 96 MiB device.
        write(1024 + 4, new byte[] {0, 0, 0, (byte) 0x80});

        assertDamage("ext4.img: damaged ext metadata at byte offset 1028: superblock counts 2147483648 blocks of "
                + "4096 bytes, but the device holds 24576");
    }

    @Test
    void aZeroBlocksPerGroupIsDamage() throws IOException {
        write(1024 + 0x20, new byte[4]);

        assertDamage("ext4.img: damaged ext metadata at byte offset 1056: superblock has 0 blocks per group, "
                + "impossible for 4096-byte blocks");
    }

    private void assertDamage(String message) {
        assertThatThrownBy(this::map).isInstanceOf(AgentException.class).hasMessage(message)
                .extracting(e -> ((AgentException) e).kind()).isEqualTo(FailureKind.FILESYSTEM);
    }

    private void map() throws IOException {
        try (FileChannel channel = FileChannel.open(image, StandardOpenOption.READ)) {
            ExtFilesystem.usedMap(channel, "ext4.img");
        }
    }

    private void write(long offset, byte[] bytes) throws IOException {
        try (RandomAccessFile file = new RandomAccessFile(image.toFile(), "rw")) {
            file.seek(offset);
            file.write(bytes);
        }
    }
}
