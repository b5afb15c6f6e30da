package io.pureboot.clone.system.e2e;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/** What a filesystem holds, file by file, to compare a source with its clones. */
public final class FileTree {

    private FileTree() {
    }

    /**
     * Every entry of an ext4 partition mounted read-only: type, mode, size, link target and the SHA-256 of
     * every regular file, sorted by path.
     */
    public static String ext4(String partition) throws IOException {
        Path mount = Files.createTempDirectory("pureboot-e2e-mnt");
        Host.run("mount", "-o", "ro,noload", partition, mount.toString());
        try {
            return Host.sh("cd " + mount + " && find . -printf '%y %m %s %l %p\\n' | LC_ALL=C sort"
                    + " && find . -type f -print0 | LC_ALL=C sort -z | xargs -0 sha256sum");
        } finally {
            Host.attempt("umount", mount.toString());
            Files.deleteIfExists(mount);
        }
    }

    /** Every file of a FAT partition read with mtools (no mount), with its SHA-256. */
    public static String fat(String partition) throws IOException {
        Path copy = Files.createTempDirectory("pureboot-e2e-fat");
        try {
            Host.run("mcopy", "-s", "-n", "-i", partition, "::/", copy + "/");
            return Host.sh("cd " + copy + " && find . -type f -print0 | LC_ALL=C sort -z | xargs -0 sha256sum");
        } finally {
            Host.run("rm", "-rf", copy.toString());
        }
    }

    /** How many regular files a tree listing of {@link #ext4} names. */
    public static long fileCount(String tree) {
        return tree.lines().filter(line -> line.startsWith("f ")).count();
    }
}
