package io.pureboot.clone.agent.clone;

import static io.pureboot.clone.agent.testing.TestDisks.MIB;
import static org.assertj.core.api.Assertions.assertThat;

import io.pureboot.clone.agent.fs.FilesystemType;
import io.pureboot.clone.agent.fs.NativeSizes;
import io.pureboot.clone.agent.image.ManifestPartition;
import io.pureboot.clone.agent.testing.FileHashes;
import io.pureboot.clone.agent.testing.Plans;
import io.pureboot.clone.agent.testing.Sys;
import io.pureboot.clone.agent.testing.SystemResources;
import io.pureboot.clone.agent.testing.TestDisks;
import io.pureboot.clone.agent.testing.TestDisks.Disk;
import io.pureboot.clone.events.resize.ResizePlan;
import io.pureboot.clone.events.session.ResizeMode;
import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * A disk with XFS (grows only) and btrfs: grown onto a 150% disk; with shrink_source, btrfs shrinks and XFS keeps its
 * size, onto a smaller disk. The source is detached before each restore: two btrfs devices with one fsid on a machine
 * (which never happens between real nodes) would confuse the kernel's device registry.
 */
class XfsBtrfsCloneTest {

    @RegisterExtension
    final SystemResources resources = new SystemResources();

    @Test
    void xfsAndBtrfsGrowOntoALargerDiskAndBtrfsShrinksForASmallerOne() throws IOException {
        Sys.assumeRoot();
        Path directory = resources.tempDirectory("pureboot-xfs-btrfs");
        Path sourceFile = resources.sparseFile(directory, "source.img", 1000 * MIB);
        Disk source = new Disk(sourceFile, resources.attach(sourceFile));
        TestDisks.partition(resources, source, "-n1:1MiB:+320MiB", "-t1:8300", "-c1:xfs", "-n2:0:+600MiB", "-t2:8300",
                "-c2:btrfs");
        Sys.run("mkfs.xfs", "-q", "-f", "-L", "xfsdata", source.partition(1).toString());
        Sys.run("mkfs.btrfs", "-q", "-f", "-L", "btrdata", source.partition(2).toString());
        Map<String, String> xfsHashes = fill(source.partition(1), "/usr/share/doc");
        Map<String, String> btrfsHashes = fill(source.partition(2), "/usr/bin");

        Path plain = resources.tempDirectory("pureboot-staging-plain");
        CloneFixture.capture(source.blockDevice(), plain, false, 0);
        Path shrunk = resources.tempDirectory("pureboot-staging-shrunk");
        SourceCapture.Result shrinkCapture = CloneFixture.capture(source.blockDevice(), shrunk, true, 0);
        ManifestPartition btrfs = shrinkCapture.manifest().partition(2);
        assertThat(btrfs.shrunk()).isTrue();
        assertThat(btrfs.filesystemBytes()).isLessThan(600 * MIB);
        assertThat(shrinkCapture.manifest().partition(1).shrunk()).isFalse();
        assertThat(size(FilesystemType.BTRFS, source.partition(2))).isEqualTo(600 * MIB);
        assertThat(hashes(source.partition(2))).isEqualTo(btrfsHashes);
        Sys.run("losetup", "-d", source.device().toString());
        Sys.runUnchecked("btrfs", "device", "scan", "--forget");

        long larger = 1500 * MIB;
        ResizePlan grow = Plans.plan(shrinkCapture.manifest(), larger, ResizeMode.GROW_TARGET, Map.of(1, 480 * MIB),
                2);
        Disk large = TestDisks.blank(resources, resources.tempDirectory("pureboot-large"), "large.img", larger);
        CloneFixture.restore(large.blockDevice(), plain, grow, resources.tempDirectory("pureboot-state"), 0);
        verify(large, grow, xfsHashes, btrfsHashes);
        Sys.run("losetup", "-d", large.device().toString());
        Sys.runUnchecked("btrfs", "device", "scan", "--forget");

        long smaller = (1 + 320 + btrfs.filesystemBytes() / MIB + 8) * MIB;
        ResizePlan shrink = Plans.plan(shrinkCapture.manifest(), smaller, ResizeMode.SHRINK_SOURCE, Map.of(), 2);
        Disk small = TestDisks.blank(resources, resources.tempDirectory("pureboot-small"), "small.img", smaller);
        CloneFixture.restore(small.blockDevice(), shrunk, shrink, resources.tempDirectory("pureboot-state"), 0);
        verify(small, shrink, xfsHashes, btrfsHashes);
    }

    private Map<String, String> fill(Path device, String from) throws IOException {
        Path mounted = resources.mount(device);
        FileHashes.copySample(mounted.resolve("files"), 30 * MIB, from);
        TestDisks.leaveDeletedData(mounted, 4 * MIB);
        resources.unmount(mounted);
        return hashes(device);
    }

    private Map<String, String> hashes(Path device) throws IOException {
        return TestDisks.mountedHashes(resources, device, "-o", "ro");
    }

    private void verify(Disk target, ResizePlan plan, Map<String, String> xfsHashes, Map<String, String> btrfsHashes)
            throws IOException {
        assertThat(Sys.run("sgdisk", "-v", target.device().toString()).stdout()).contains("No problems found");
        assertThat(Sys.runUnchecked("xfs_repair", "-n", target.partition(1).toString()).exitCode()).isZero();
        assertThat(Sys.runUnchecked("btrfs", "check", "--readonly", target.partition(2).toString()).exitCode())
                .isZero();
        assertThat(size(FilesystemType.XFS, target.partition(1))).isEqualTo(plan.partitions().get(0).newSizeBytes());
        assertThat(size(FilesystemType.BTRFS, target.partition(2))).isEqualTo(plan.partitions().get(1).newSizeBytes());
        assertThat(hashes(target.partition(1))).isEqualTo(xfsHashes);
        assertThat(hashes(target.partition(2))).isEqualTo(btrfsHashes);
    }

    private static long size(FilesystemType type, Path device) throws IOException {
        try (FileChannel channel = FileChannel.open(device, StandardOpenOption.READ)) {
            return NativeSizes.filesystemBytes(type, channel, device.toString()).orElseThrow();
        }
    }
}
