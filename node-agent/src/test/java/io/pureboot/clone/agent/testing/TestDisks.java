package io.pureboot.clone.agent.testing;

import io.pureboot.clone.agent.disk.BlockDevice;
import io.pureboot.clone.agent.disk.BlockDevices;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;

/** Builders for real disks on loop devices, with real filesystems and real files. */
public final class TestDisks {

    public static final long MIB = 1 << 20;

    private TestDisks() {
    }

    /** A disk: its backing file and loop device. */
    public record Disk(Path file, Path device) {
        public BlockDevice blockDevice() {
            return BlockDevices.system().describe(device.getFileName().toString());
        }

        public Path partition(int number) {
            return Path.of(device + "p" + number);
        }
    }

    /** A blank disk of {@code bytes}. */
    public static Disk blank(SystemResources resources, Path directory, String name, long bytes) {
        Path file = resources.sparseFile(directory, name, bytes);
        return new Disk(file, resources.attach(file));
    }

    /** Writes a GPT with sgdisk arguments and makes the kernel see the partitions. */
    public static void partition(SystemResources resources, Disk disk, String... sgdiskArguments) {
        String[] command = new String[sgdiskArguments.length + 2];
        command[0] = "sgdisk";
        System.arraycopy(sgdiskArguments, 0, command, 1, sgdiskArguments.length);
        command[command.length - 1] = disk.device().toString();
        Sys.run(command);
        resources.rescan(disk.device());
    }

    /**
     * A GPT system disk: 1 ESP (FAT32, 64 MiB, files put in with mtools), 2 root (ext4, {@code rootMib}, filled with
     * {@code contentBytes} of system files, plus a deleted file whose data stays in free blocks), 3 swap (32 MiB).
     */
    public static Disk gptSystemDisk(SystemResources resources, Path directory, long diskMib, long rootMib,
            long contentBytes) throws IOException {
        Disk disk = blank(resources, directory, "system.img", diskMib * MIB);
        partition(resources, disk, "-n1:1MiB:+64MiB", "-t1:ef00", "-c1:EFI system", "-n2:0:+" + rootMib + "MiB",
                "-t2:8300", "-c2:root", "-n3:0:+32MiB", "-t3:8200", "-c3:swap");
        Sys.run("mkfs.vfat", "-F", "32", "-s", "1", "-n", "ESP", disk.partition(1).toString());
        Sys.run("mmd", "-i", disk.partition(1).toString(), "::/EFI", "::/EFI/BOOT");
        Sys.run("mcopy", "-i", disk.partition(1).toString(), "/bin/ls", "::/EFI/BOOT/BOOTX64.EFI");
        Sys.run("mcopy", "-i", disk.partition(1).toString(), "/etc/os-release", "::/EFI/os-release.txt");
        Sys.run("mkfs.ext4", "-q", "-F", "-b", "4096", "-L", "root", disk.partition(2).toString());
        Path root = resources.mount(disk.partition(2));
        FileHashes.copySample(root.resolve("usr"), contentBytes, "/usr/bin", "/usr/lib/x86_64-linux-gnu",
                "/usr/share/doc");
        Files.writeString(root.resolve("hello.txt"), "hello from the source\n");
        Files.createSymbolicLink(root.resolve("link"), Path.of("hello.txt"));
        leaveDeletedData(root, 8 * MIB);
        resources.unmount(root);
        Sys.run("mkswap", "-L", "swp", disk.partition(3).toString());
        return disk;
    }

    /**
     * An MBR disk as operators bring them: 1 primary ext4 ({@code bootMib}, bootable, labelled boot, a few files), 2 an
     * extended partition to the end of the disk holding 5 a logical ext4 ({@code dataMib}, labelled data, filled with
     * {@code contentBytes} of system files and deleted data in its free blocks) and 6 a logical swap (16 MiB). sfdisk
     * lays it out as fdisk would: everything 1 MiB aligned, each logical partition 1 MiB after its EBR.
     */
    public static Disk mbrLogicalDisk(SystemResources resources, Path directory, long diskMib, long bootMib,
            long dataMib, long contentBytes) throws IOException {
        Disk disk = blank(resources, directory, "mbr-logical.img", diskMib * MIB);
        String script = "label: dos\nlabel-id: 0x5eed1234\n,%dMiB,83,*\n,,5\n,%dMiB,83\n,16MiB,82\n"
                .formatted(bootMib, dataMib);
        Sys.input(script, "sfdisk", "-q", disk.device().toString());
        resources.rescan(disk.device());
        Sys.run("mkfs.ext4", "-q", "-F", "-b", "4096", "-L", "boot", disk.partition(1).toString());
        Path boot = resources.mount(disk.partition(1));
        Files.writeString(boot.resolve("hello.txt"), "hello from the MBR source\n");
        FileHashes.copySample(boot.resolve("grub"), Math.min(contentBytes / 4, 4 * MIB), "/usr/share/doc");
        resources.unmount(boot);
        Sys.run("mkfs.ext4", "-q", "-F", "-b", "4096", "-L", "data", disk.partition(5).toString());
        Path data = resources.mount(disk.partition(5));
        FileHashes.copySample(data.resolve("usr"), contentBytes, "/usr/bin", "/usr/lib/x86_64-linux-gnu");
        Files.writeString(data.resolve("logical.txt"), "hello from logical partition 5\n");
        leaveDeletedData(data, 4 * MIB);
        resources.unmount(data);
        Sys.run("mkswap", "-L", "swp", disk.partition(6).toString());
        return disk;
    }

    /** Writes a file of non-zero data, syncs it to disk and deletes it: its blocks are free but not zero. */
    public static void leaveDeletedData(Path root, long bytes) throws IOException {
        Path junk = root.resolve("deleted.bin");
        byte[] block = new byte[1 << 20];
        java.util.Arrays.fill(block, (byte) 0x5a);
        try (var out = Files.newOutputStream(junk)) {
            for (long written = 0; written < bytes; written += block.length) {
                out.write(block);
            }
        }
        Sys.run("sync");
        Files.delete(junk);
        Sys.run("sync");
    }

    /** Hashes of every file on a FAT filesystem, extracted with mtools. */
    public static Map<String, String> fatHashes(SystemResources resources, Path device) throws IOException {
        Path out = resources.tempDirectory("pureboot-fat");
        Sys.run("mcopy", "-s", "-n", "-i", device.toString(), "::/", out.toString() + "/");
        return FileHashes.of(out);
    }

    /** Hashes of every file on a filesystem mounted read-only for the purpose. */
    public static Map<String, String> mountedHashes(SystemResources resources, Path device, String... options)
            throws IOException {
        Path mountPoint = resources.mount(device, options);
        try {
            return FileHashes.of(mountPoint);
        } finally {
            resources.unmount(mountPoint);
        }
    }

    public static String blkid(Path device, String tag) {
        return Sys.runUnchecked("blkid", "-p", "-o", "value", "-s", tag, device.toString()).stdout().strip();
    }
}
