package io.pureboot.clone.agent.testing;

import static io.pureboot.clone.agent.testing.TestDisks.MIB;
import static org.assertj.core.api.Assertions.assertThat;

import io.pureboot.clone.agent.testing.TestDisks.Disk;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

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
}
