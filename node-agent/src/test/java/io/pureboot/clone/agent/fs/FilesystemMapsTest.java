package io.pureboot.clone.agent.fs;

import static org.assertj.core.api.Assertions.assertThat;

import io.pureboot.clone.agent.process.CommandRunner;
import io.pureboot.clone.agent.testing.FileHashes;
import io.pureboot.clone.agent.testing.Sys;
import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The used-block maps read in Java agree with partclone's (which the agent trusts for NTFS, XFS and btrfs): every
 * block partclone says is used is in the agent's map, and the maps are the same size within the boot area the agent
 * always keeps. Filesystems are built in plain files (mke2fs -d, mtools), so no root is needed.
 */
class FilesystemMapsTest {

    @TempDir
    Path directory;

    @ParameterizedTest
    @ValueSource(strings = {"ext4:4096", "ext4:1024", "ext3:1024", "ext2:4096"})
    void extBitmapsMatchPartclone(String variant) throws IOException {
        String type = variant.split(":")[0];
        String blockSize = variant.split(":")[1];
        Path content = Files.createDirectories(directory.resolve("content"));
        FileHashes.copySample(content, 24 << 20, "/usr/share/doc", "/usr/bin");
        Path image = directory.resolve("fs.img");
        Sys.run("truncate", "-s", "96M", image.toString());
        Sys.run("mkfs." + type, "-q", "-F", "-b", blockSize, "-d", content.toString(), image.toString());

        ExtentMap ours = map(image, channel -> ExtFilesystem.usedMap(channel, "fs.img")).orElseThrow();
        ExtentMap partclone = PartcloneDomain.usedMap(CommandRunner.system(), FilesystemType.EXT4, image);

        assertCovers(ours, partclone);
        assertThat(ours.usedBytes()).isBetween(partclone.usedBytes(), partclone.usedBytes() + 4096);
        assertThat(ours.usedBytes()).isGreaterThan(24L << 20 * 9 / 10);
    }

    /**
     * FAT maps are checked against fsck.fat's own count (partclone 0.3.23 maps FAT12 wrongly: it reports clusters in
     * use that fsck.fat and the FAT itself say are free).
     */
    @ParameterizedTest
    @ValueSource(ints = {12, 16, 32})
    void fatTablesMatchFsckFat(int bits) throws IOException {
        Path image = directory.resolve("fat.img");
        Sys.run("truncate", "-s", bits == 12 ? "8M" : "64M", image.toString());
        Sys.run("mkfs.vfat", "-F", Integer.toString(bits), image.toString());
        Sys.run("mmd", "-i", image.toString(), "::/EFI");
        Sys.run("mcopy", "-i", image.toString(), "/bin/ls", "/etc/os-release", "::/EFI/");
        Sys.run("mcopy", "-i", image.toString(), "/bin/cp", "::/");

        ExtentMap ours = map(image, channel -> FatFilesystem.usedMap(channel, "fat.img")).orElseThrow();

        String report = Sys.run("fsck.fat", "-v", "-n", image.toString()).stdout();
        long clusterBytes = Long.parseLong(find(report, "(\\d+) bytes per cluster"));
        long dataStart = Long.parseLong(find(report, "Data area starts at byte (\\d+)"));
        long usedClusters = Long.parseLong(find(report, "files, (\\d+)/\\d+ clusters"));
        assertThat(report).contains(bits + " bit entries");
        assertThat(ours.usedBytes()).isEqualTo(dataStart + usedClusters * clusterBytes);
        assertThat(ours.start(0)).isZero();
        assertThat(ours.end(0)).isGreaterThanOrEqualTo(dataStart);
    }

    private static String find(String text, String regex) {
        Matcher matcher = Pattern.compile(regex).matcher(text);
        assertThat(matcher.find()).as("'%s' in %s", regex, text).isTrue();
        return matcher.group(1);
    }

    private static void assertCovers(ExtentMap ours, ExtentMap theirs) {
        for (int i = 0; i < theirs.rangeCount(); i++) {
            long start = theirs.start(i);
            long end = theirs.end(i);
            int index = ours.firstEndingAfter(start);
            assertThat(index).as("range %d-%d", start, end).isLessThan(ours.rangeCount());
            assertThat(ours.start(index)).as("range %d-%d", start, end).isLessThanOrEqualTo(start);
            assertThat(ours.end(index)).as("range %d-%d", start, end).isGreaterThanOrEqualTo(end);
        }
    }

    private interface Reader {
        Optional<ExtentMap> read(FileChannel channel);
    }

    private static Optional<ExtentMap> map(Path image, Reader reader) throws IOException {
        try (FileChannel channel = FileChannel.open(image, StandardOpenOption.READ)) {
            return reader.read(channel);
        }
    }
}
