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

/** An NTFS disk (ntfs-3g) shrunk for capture, restored onto a 60% disk and onto a 150% disk. */
class NtfsCloneTest {

    @RegisterExtension
    final SystemResources resources = new SystemResources();

    @Test
    void ntfsIsShrunkForCaptureAndFitsSmallerAndLargerTargets() throws IOException {
        Sys.assumeRoot();
        Path directory = resources.tempDirectory("pureboot-ntfs");
        Disk source = TestDisks.blank(resources, directory, "ntfs.img", 400 * MIB);
        TestDisks.partition(resources, source, "-n1:1MiB:0", "-t1:0700", "-c1:data");
        Sys.run("mkfs.ntfs", "-Q", "-q", "-L", "data", source.partition(1).toString());
        Path mounted = resources.mount(source.partition(1), "-t", "ntfs-3g");
        FileHashes.copySample(mounted.resolve("files"), 40 * MIB, "/usr/bin", "/usr/share/doc");
        TestDisks.leaveDeletedData(mounted, 8 * MIB);
        resources.unmount(mounted);
        Map<String, String> hashes = TestDisks.mountedHashes(resources, source.partition(1), "-t", "ntfs-3g", "-o",
                "ro");
        long sourceSize = ntfsSize(source.partition(1));

        Path staging = resources.tempDirectory("pureboot-staging");
        SourceCapture.Result captured = CloneFixture.capture(source.blockDevice(), staging, true, 0);
        ManifestPartition data = captured.manifest().partition(1);
        assertThat(data.filesystem()).isEqualTo("ntfs");
        assertThat(data.shrunk()).isTrue();
        assertThat(data.filesystemBytes()).isLessThan(200 * MIB);
        // ntfsresize sizes volumes in whole clusters: grown back, the volume may lose the partial cluster at its end
        // that mkfs.ntfs counted but NTFS can never allocate.
        assertThat(ntfsSize(source.partition(1))).isBetween(sourceSize - 4096, sourceSize);
        assertThat(Sys.runUnchecked("ntfsresize", "--check", "--force", source.partition(1).toString()).exitCode())
                .isZero();
        assertThat(TestDisks.mountedHashes(resources, source.partition(1), "-t", "ntfs-3g", "-o", "ro"))
                .isEqualTo(hashes);

        for (long targetBytes : new long[] {240 * MIB, 600 * MIB}) {
            ResizePlan plan = Plans.plan(captured.manifest(), targetBytes, ResizeMode.SHRINK_SOURCE, Map.of(), 1);
            Disk target = TestDisks.blank(resources, resources.tempDirectory("pureboot-ntfs-target"), "target.img",
                    targetBytes);
            CloneFixture.restore(target.blockDevice(), staging, plan, resources.tempDirectory("pureboot-state"), 0);
            long partitionBytes = plan.partitions().get(0).newSizeBytes();
            assertThat(ntfsSize(target.partition(1))).isBetween(partitionBytes - MIB, partitionBytes);
            assertThat(Sys.runUnchecked("ntfsresize", "--check", "--force", target.partition(1).toString())
                    .exitCode()).isZero();
            assertThat(TestDisks.mountedHashes(resources, target.partition(1), "-t", "ntfs-3g", "-o", "ro"))
                    .isEqualTo(hashes);
            assertThat(TestDisks.blkid(target.partition(1), "UUID")).isEqualTo(TestDisks.blkid(source.partition(1),
                    "UUID"));
        }
    }

    static long ntfsSize(Path device) throws IOException {
        try (FileChannel channel = FileChannel.open(device, StandardOpenOption.READ)) {
            return NativeSizes.filesystemBytes(FilesystemType.NTFS, channel, device.toString()).orElseThrow();
        }
    }
}
