package io.pureboot.clone.agent.testing;

import static io.pureboot.clone.agent.testing.TestDisks.MIB;
import static org.assertj.core.api.Assertions.assertThat;

import io.pureboot.clone.agent.testing.TestDisks.Disk;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.Random;

/** Source disks whose filesystem a read-only check calls damaged, as operators bring them. */
public final class DamagedFilesystems {

    private DamagedFilesystems() {
    }

    /**
     * A 160 MiB GPT disk with one 128 MiB ext4 ("data", 16 MiB of files) whose block bitmap marks 16 blocks of
     * {@code /victim.bin} free: {@code e2fsck -fn} exits 4 ("Block bitmap differences"), {@code e2fsck -fy} repairs it.
     */
    public static Disk ext4WithDamagedBitmap(SystemResources resources, Path directory) throws IOException {
        Disk source = TestDisks.blank(resources, directory, "damaged.img", 160 * MIB);
        TestDisks.partition(resources, source, "-n1:1MiB:+128MiB", "-t1:8300", "-c1:data");
        String partition = source.partition(1).toString();
        Sys.run("mkfs.ext4", "-q", "-F", "-b", "4096", "-L", "data", partition);
        Path root = resources.mount(source.partition(1));
        FileHashes.copySample(root.resolve("usr"), 16 * MIB, "/usr/bin");
        Files.write(root.resolve("victim.bin"), new byte[1 << 20]);
        resources.unmount(root);
        String blocks = Sys.run("debugfs", "-R", "blocks /victim.bin", partition).stdout().strip();
        String victim = blocks.split("\\s+")[0];
        Sys.run("debugfs", "-w", "-R", "freeb " + victim + " 16", partition);
        assertThat(Sys.runUnchecked("e2fsck", "-f", "-n", partition).exitCode()).isEqualTo(4);
        return source;
    }

    /**
     * A 640 MiB GPT disk left as a power cut leaves it: 1 NTFS (96 MiB) marked dirty, 2 XFS (320 MiB, its smallest)
     * whose log needs recovery (shut down with {@code xfs_io -x -c "shutdown -f"} after {@code late.bin} was written),
     * 3 btrfs (160 MiB) whose log tree holds the fsynced {@code late.bin} (the disk file copied while it was mounted with a long
     * commit interval, as a crash would find it). {@code late.bin} is the same 2 MiB on the XFS and the btrfs.
     *
     * @param clean called with the disk before anything is made unclean (each filesystem as mkfs and a clean unmount
     *     left it), so that a test can see the same probe call it clean
     */
    public static Unclean ntfsXfsBtrfsAfterAPowerCut(SystemResources resources, Path directory, DiskCheck clean)
            throws IOException {
        Disk work = TestDisks.blank(resources, directory, "work.img", 640 * MIB);
        TestDisks.partition(resources, work, "-n1:1MiB:+96MiB", "-t1:0700", "-n2:0:+320MiB", "-t2:8300",
                "-n3:0:+160MiB", "-t3:8300");
        Sys.run("mkfs.ntfs", "-Q", "-q", "-L", "win", work.partition(1).toString());
        Sys.run("mkfs.xfs", "-q", "-f", "-L", "logs", work.partition(2).toString());
        Sys.run("mkfs.btrfs", "-q", "-f", "-L", "pool", work.partition(3).toString());
        Path late = directory.resolve("late.bin");
        byte[] bytes = new byte[2 << 20];
        new Random(15).nextBytes(bytes);
        Files.write(late, bytes);
        for (int number = 1; number <= 3; number++) {
            Path root = resources.mount(work.partition(number), number == 1 ? new String[] {"-t", "ntfs-3g"}
                    : new String[0]);
            FileHashes.copySample(root.resolve("files"), 8 * MIB, "/usr/bin");
            resources.unmount(root);
        }
        clean.accept(work);

        setNtfsDirty(work.partition(1));
        Path xfs = resources.mount(work.partition(2));
        Sys.run("dd", "if=" + late, "of=" + xfs.resolve("late.bin"), "bs=1M", "conv=fsync", "status=none");
        Sys.run("xfs_io", "-x", "-c", "shutdown -f", xfs.toString());
        resources.unmount(xfs);
        Path btrfs = resources.mount(work.partition(3), "-o", "commit=300");
        Sys.run("sync", "-f", btrfs.toString());
        Sys.run("dd", "if=" + late, "of=" + btrfs.resolve("late.bin"), "bs=1M", "conv=fsync", "status=none");
        Path crashed = directory.resolve("crashed.img");
        Sys.run("cp", "--sparse=always", work.file().toString(), crashed.toString());
        resources.unmount(btrfs);
        // Two disks with the same filesystem UUIDs confuse blkid and btrfs's device list: only the copy stays.
        Sys.runUnchecked("partx", "-d", work.device().toString());
        Sys.runUnchecked("losetup", "-d", work.device().toString());
        Sys.runUnchecked("btrfs", "device", "scan", "--forget");
        return new Unclean(new Disk(crashed, resources.attach(crashed)), FileHashes.sha256(late));
    }

    /** The unclean disk and the SHA-256 of the {@code late.bin} only its logs hold. */
    public record Unclean(Disk disk, String lateSha256) {
    }

    /** A look at a disk in the middle of building it. */
    @FunctionalInterface
    public interface DiskCheck {
        void accept(Disk disk) throws IOException;
    }

    /**
     * Sets VOLUME_IS_DIRTY in $Volume's VOLUME_INFORMATION, in the MFT and its mirror, as Windows does when it wants
     * chkdsk to run (ntfs-3g has no tool that sets it; ntfsfix -d clears it).
     */
    static void setNtfsDirty(Path device) throws IOException {
        try (FileChannel channel = FileChannel.open(device, StandardOpenOption.READ, StandardOpenOption.WRITE)) {
            ByteBuffer boot = read(channel, 0, 512);
            long cluster = (long) (boot.getShort(0x0b) & 0xffff) * (boot.get(0x0d) & 0xff);
            byte recordSizeCode = boot.get(0x40);
            int recordSize = recordSizeCode > 0 ? (int) (recordSizeCode * cluster) : 1 << -recordSizeCode;
            for (long lcn : new long[] {boot.getLong(0x30), boot.getLong(0x38)}) {
                long offset = lcn * cluster + 3L * recordSize;
                ByteBuffer record = read(channel, offset, recordSize);
                assertThat(record.getInt(0)).as("$Volume record magic").isEqualTo(0x454c4946);
                int attribute = record.getShort(0x14) & 0xffff;
                while (record.getInt(attribute) != 0x70) {
                    assertThat(record.getInt(attribute)).as("attribute type").isNotEqualTo(-1);
                    attribute += record.getInt(attribute + 4);
                }
                int flags = attribute + (record.getShort(attribute + 0x14) & 0xffff) + 0x0a;
                record.putShort(flags, (short) (record.getShort(flags) | 0x0001));
                channel.write(record.position(0), offset);
            }
        }
    }

    private static ByteBuffer read(FileChannel channel, long offset, int length) throws IOException {
        ByteBuffer buffer = ByteBuffer.allocate(length).order(ByteOrder.LITTLE_ENDIAN);
        while (buffer.hasRemaining()) {
            if (channel.read(buffer, offset + buffer.position()) < 0) {
                throw new IOException("end of device at " + (offset + buffer.position()));
            }
        }
        return buffer.flip();
    }
}
