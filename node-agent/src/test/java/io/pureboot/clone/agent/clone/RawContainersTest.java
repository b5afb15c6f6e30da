package io.pureboot.clone.agent.clone;

import static io.pureboot.clone.agent.testing.TestDisks.MIB;
import static org.assertj.core.api.Assertions.assertThat;

import io.pureboot.clone.agent.disk.BlockDevices;
import io.pureboot.clone.agent.fs.Filesystems;
import io.pureboot.clone.agent.process.CommandRunner;
import io.pureboot.clone.agent.testing.FileHashes;
import io.pureboot.clone.agent.testing.Sys;
import io.pureboot.clone.agent.testing.SystemResources;
import io.pureboot.clone.agent.testing.TestDisks;
import io.pureboot.clone.agent.testing.TestDisks.Disk;
import io.pureboot.clone.events.node.DiskInventory;
import io.pureboot.clone.events.node.PartitionInventory;
import java.io.IOException;
import java.io.RandomAccessFile;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.logging.Handler;
import java.util.logging.LogRecord;
import java.util.logging.Logger;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * An LVM physical volume (a real {@code pvcreate}) and a BitLocker volume (its boot sector's "-FVE-FS-" OEM id and
 * FVE metadata block, as blkid recognises them) are reported in the inventory with their type and as neither
 * shrinkable nor growable; the capture logs that each is copied raw, not resized, and the target gets every byte.
 */
class RawContainersTest {

    @RegisterExtension
    final SystemResources resources = new SystemResources();

    @Test
    void lvmAndBitLockerAreReportedAndCopiedRawNotResized() throws IOException {
        Sys.assumeRoot();
        Path directory = resources.tempDirectory("pureboot-raw-containers");
        Disk source = TestDisks.blank(resources, directory, "source.img", 160 * MIB);
        TestDisks.partition(resources, source, "-n1:1MiB:+48MiB", "-t1:8e00", "-n2:0:+48MiB", "-t2:0700",
                "-n3:0:+48MiB", "-t3:8300");
        // --devices: only this device is looked at or recorded (no LVM devices file entry is left behind).
        Sys.run("pvcreate", "-ff", "-y", "--devices", source.partition(1).toString(), source.partition(1).toString());
        writeBitLocker(source.partition(2));
        Sys.run("mkfs.ext4", "-q", "-F", source.partition(3).toString());

        DiskInventory inventory = new Inventory(BlockDevices.system(), new Filesystems(CommandRunner.system()))
                .describe(source.blockDevice());

        PartitionInventory lvm = inventory.partitions().get(0);
        assertThat(lvm.filesystem()).isEqualTo("LVM2_member");
        assertThat(List.of(lvm.canShrink(), lvm.canGrow())).containsOnly(false);
        assertThat(lvm.minimumSizeBytes()).isNull();
        PartitionInventory bitLocker = inventory.partitions().get(1);
        assertThat(bitLocker.filesystem()).isEqualTo("BitLocker");
        assertThat(List.of(bitLocker.canShrink(), bitLocker.canGrow())).containsOnly(false);
        assertThat(inventory.partitions().get(2).canShrink()).isTrue();

        List<String> messages = new CopyOnWriteArrayList<>();
        Handler handler = new Handler() {
            @Override
            public void publish(LogRecord record) {
                messages.add(record.getMessage());
            }

            @Override
            public void flush() {
            }

            @Override
            public void close() {
            }
        };
        Logger logger = Logger.getLogger(SourceCapture.class.getName());
        logger.addHandler(handler);
        Path staging = resources.tempDirectory("pureboot-raw-staging");
        try {
            CloneFixture.capture(source.blockDevice(), staging, true, 0);
        } finally {
            logger.removeHandler(handler);
        }
        assertThat(messages).contains(source.partition(1) + ": LVM2_member is copied raw, not resized",
                source.partition(2) + ": BitLocker is copied raw, not resized");

        Disk target = TestDisks.blank(resources, directory, "target.img", 160 * MIB);
        CloneFixture.restore(target.blockDevice(), staging, null, resources.tempDirectory("pureboot-raw-state"), 0);
        resources.rescan(target.device());
        for (int number = 1; number <= 2; number++) {
            assertThat(FileHashes.sha256(target.partition(number))).as("partition " + number)
                    .isEqualTo(FileHashes.sha256(source.partition(number)));
        }
    }

    /** A BitLocker (Windows 7+) boot sector: the OEM id, the FVE metadata offset at byte 176, and that block. */
    private static void writeBitLocker(Path partition) throws IOException {
        ByteBuffer boot = ByteBuffer.allocate(512).order(ByteOrder.LITTLE_ENDIAN);
        boot.put(new byte[] {(byte) 0xeb, 0x58, (byte) 0x90}).put("-FVE-FS-".getBytes(StandardCharsets.US_ASCII));
        boot.putShort(11, (short) 512).put(13, (byte) 8);
        boot.put(71, "NO NAME    ".getBytes(StandardCharsets.US_ASCII));
        boot.putLong(176, MIB);
        boot.put(510, (byte) 0x55).put(511, (byte) 0xaa);
        ByteBuffer metadata = ByteBuffer.allocate(64).order(ByteOrder.LITTLE_ENDIAN);
        metadata.put("-FVE-FS-".getBytes(StandardCharsets.US_ASCII)).putShort((short) 64).putShort((short) 2);
        try (RandomAccessFile device = new RandomAccessFile(partition.toFile(), "rw")) {
            device.write(boot.array());
            device.seek(MIB);
            device.write(metadata.array());
        }
    }
}
