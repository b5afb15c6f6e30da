package io.pureboot.clone.system.e2e;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * A disk for the agents: a sparse file attached to a loop device with partition scanning. The
 * agent knows it by its stable id {@code loop:<backing file>}. Closing detaches it and deletes the file.
 */
public final class LoopDisk implements AutoCloseable {

    public static final long MIB = 1L << 20;

    private final Path file;
    private final String device;
    private final long bytes;

    private LoopDisk(Path file, String device, long bytes) {
        this.file = file;
        this.device = device;
        this.bytes = bytes;
    }

    /** An empty disk of {@code bytes} (rounded down to whole MiB). */
    public static LoopDisk create(Path file, long bytes) throws IOException {
        long size = bytes / MIB * MIB;
        Files.createDirectories(file.getParent());
        Host.run("truncate", "-s", Long.toString(size), file.toString());
        String device = Host.run("losetup", "-f", "--show", "-P", file.toString()).strip();
        return new LoopDisk(file, device, size);
    }

    /**
     * A source disk as an installed Linux machine has it: GPT with an ESP (FAT32, files copied with
     * mtools), an ext4 root holding real files, and swap at the end.
     */
    public static LoopDisk source(Path file, long bytes, long swapBytes, String... contents) throws IOException {
        LoopDisk disk = create(file, bytes);
        try {
            String dev = disk.device;
            Host.run("sgdisk", "--zap-all", dev);
            Host.run("sgdisk", "-n", "1:1M:+64M", "-t", "1:ef00", "-c", "1:EFI System",
                    "-n", "2:0:-" + swapBytes / MIB + "M", "-t", "2:8300", "-c", "2:root",
                    "-n", "3:0:0", "-t", "3:8200", "-c", "3:swap", dev);
            Host.run("partx", "-u", dev);
            Host.sh("for i in $(seq 1 50); do [ -b " + dev + "p3 ] && exit 0; sleep 0.1; done; exit 1");
            Host.run("mkfs.vfat", "-F", "32", "-n", "ESP", disk.partition(1));
            Host.sh("d=$(mktemp -d); mkdir -p $d/EFI/BOOT $d/EFI/debian; head -c 3145728 /dev/urandom > $d/EFI/BOOT/BOOTX64.EFI;"
                    + " cp /etc/os-release $d/EFI/debian/os-release.txt; echo 'set timeout=1' > $d/EFI/debian/grub.cfg;"
                    + " mcopy -s -i " + disk.partition(1) + " $d/EFI ::/; rm -rf $d");
            Host.run("mkfs.ext4", "-q", "-F", "-L", "root", disk.partition(2));
            Host.run("mkswap", "-L", "swap", disk.partition(3));
            Path mount = Files.createTempDirectory("pureboot-e2e-source");
            Host.run("mount", disk.partition(2), mount.toString());
            try {
                StringBuilder copy = new StringBuilder("mkdir -p " + mount + "/data\n");
                for (String content : contents) {
                    copy.append("tar -C / -cf - ").append(content.substring(1)).append(" | tar -C ").append(mount)
                            .append("/data -xf -\n");
                }
                copy.append("head -c 16777216 /dev/urandom > ").append(mount).append("/data/random.bin\n");
                copy.append("ln -s random.bin ").append(mount).append("/data/link-to-random\n");
                Host.sh(copy.toString());
            } finally {
                Host.run("umount", mount.toString());
                Files.deleteIfExists(mount);
            }
            return disk;
        } catch (RuntimeException | IOException e) {
            disk.close();
            throw e;
        }
    }

    public String device() {
        return device;
    }

    public String partition(int number) {
        return device + "p" + number;
    }

    public String stableId() {
        return "loop:" + file;
    }

    public long bytes() {
        return bytes;
    }

    public Path file() {
        return file;
    }

    @Override
    public void close() {
        Host.attempt("losetup", "-d", device);
        try {
            Files.deleteIfExists(file);
        } catch (IOException e) {
            // best effort: the file is in the build directory
        }
    }
}
