package io.pureboot.clone.agent.disk;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Disks described from a sysfs and /dev tree laid out in a directory. */
class BlockDevicesTest {

    @TempDir
    Path root;

    private BlockDevices devices;

    @BeforeEach
    void machine() throws IOException {
        Path sys = root.resolve("sys/block");
        Path dev = root.resolve("dev");
        disk(sys, "sda", 1953525168, 512, 4096);
        write(sys.resolve("sda/device/wwid"), "naa.5000c500a1b2c3d4");
        write(sys.resolve("sda/device/model"), "ST1000NM0033");
        write(sys.resolve("sda/sda1/partition"), "1");
        write(sys.resolve("sda/sda1/start"), "2048");
        write(sys.resolve("sda/sda1/size"), "1048576");
        disk(sys, "nvme0n1", 500118192, 512, 512);
        write(sys.resolve("nvme0n1/serial"), "S4EWNX0N123456");
        disk(sys, "zram0", 1000, 4096, 4096);
        disk(sys, "loop3", 0, 512, 512);
        Files.createDirectories(dev.resolve("disk/by-id"));
        Files.createSymbolicLink(dev.resolve("disk/by-id/nvme-Samsung_SSD_970_S4EWNX0N123456"), Path.of("../../nvme0n1"));
        Files.createSymbolicLink(dev.resolve("disk/by-id/wwn-0x5000c500a1b2c3d4"), Path.of("../../sda"));
        devices = new BlockDevices(sys, dev);
    }

    @Test
    void listsRealDisksWithGeometryAndStableIds() {
        assertThat(devices.disks()).extracting(BlockDevice::name).containsExactly("nvme0n1", "sda");
        BlockDevice sda = devices.describe("sda");
        assertThat(sda.sizeBytes()).isEqualTo(1953525168L * 512);
        assertThat(sda.logicalSectorSize()).isEqualTo(512);
        assertThat(sda.physicalSectorSize()).isEqualTo(4096);
        assertThat(sda.stableId()).isEqualTo("naa.5000c500a1b2c3d4");
        assertThat(sda.model()).isEqualTo("ST1000NM0033");
        assertThat(devices.describe("nvme0n1").stableId()).isEqualTo("S4EWNX0N123456");
    }

    @Test
    void findsDisksByAnyStableIdButNeverByKernelNameAlone() {
        assertThat(devices.byStableId("S4EWNX0N123456").name()).isEqualTo("nvme0n1");
        assertThat(devices.byStableId("/dev/disk/by-id/nvme-Samsung_SSD_970_S4EWNX0N123456").name())
                .isEqualTo("nvme0n1");
        assertThat(devices.byStableId("wwn-0x5000c500a1b2c3d4").name()).isEqualTo("sda");
        assertThatThrownBy(() -> devices.byStableId("sda")).hasMessage("no disk has the stable id 'sda'");
    }

    @Test
    void partitionsComeFromSysfs() {
        BlockDevice sda = devices.describe("sda");
        assertThat(devices.partitions(sda)).containsExactly(new PartitionDevice(1, root.resolve("dev/sda1"), 1 << 20,
                512L << 20));
        assertThatThrownBy(() -> devices.partition(sda, 2))
                .hasMessage(root.resolve("dev/sda") + ": the kernel has no partition 2 (is the table re-read?)");
    }

    @Test
    void aDiskWithAMountedPartitionOrActiveSwapIsRefused() throws IOException {
        BlockDevice sda = devices.describe("sda");
        PartitionDevice sda1 = devices.partition(sda, 1);
        Path mounts = root.resolve("mounts");
        Path swaps = root.resolve("swaps");
        Files.writeString(mounts, "proc /proc proc rw 0 0\n" + sda1.path() + " /mnt/old\\040root ext4 rw 0 0\n");
        Files.writeString(swaps, "Filename\tType\tSize\tUsed\tPriority\n");

        assertThatThrownBy(() -> new MountTable(mounts, swaps).requireUnused(sda, devices.partitions(sda)))
                .hasMessage(sda.path() + " is in use: " + sda1.path() + " is mounted on /mnt/old root");

        Files.writeString(mounts, "proc /proc proc rw 0 0\n");
        Files.writeString(swaps, "Filename\tType\tSize\tUsed\tPriority\n" + sda1.path() + "\tpartition\t1\t0\t-2\n");
        assertThatThrownBy(() -> new MountTable(mounts, swaps).requireUnused(sda, devices.partitions(sda)))
                .hasMessage(sda.path() + " is in use: " + sda1.path() + " is active swap");
        new MountTable(mounts, root.resolve("none")).requireUnused(sda, devices.partitions(sda));
    }

    private static void disk(Path sys, String name, long sectors, int logical, int physical) throws IOException {
        write(sys.resolve(name + "/size"), Long.toString(sectors));
        write(sys.resolve(name + "/queue/logical_block_size"), Integer.toString(logical));
        write(sys.resolve(name + "/queue/physical_block_size"), Integer.toString(physical));
    }

    private static void write(Path file, String text) throws IOException {
        Files.createDirectories(file.getParent());
        Files.writeString(file, text + "\n");
    }
}
