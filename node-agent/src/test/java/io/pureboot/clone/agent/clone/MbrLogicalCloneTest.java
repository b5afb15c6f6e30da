package io.pureboot.clone.agent.clone;

import static io.pureboot.clone.agent.testing.TestDisks.MIB;
import static org.assertj.core.api.Assertions.assertThat;

import io.pureboot.clone.agent.disk.BlockDevices;
import io.pureboot.clone.agent.fs.Filesystems;
import io.pureboot.clone.agent.image.Manifest;
import io.pureboot.clone.agent.image.ManifestContainer;
import io.pureboot.clone.agent.image.ManifestPartition;
import io.pureboot.clone.agent.process.CommandRunner;
import io.pureboot.clone.agent.testing.Plans;
import io.pureboot.clone.agent.testing.SystemResources;
import io.pureboot.clone.agent.testing.Sys;
import io.pureboot.clone.agent.testing.TestDisks;
import io.pureboot.clone.agent.testing.TestDisks.Disk;
import io.pureboot.clone.events.node.DiskInventory;
import io.pureboot.clone.events.node.PartitionInventory;
import io.pureboot.clone.events.resize.PartitionPlan;
import io.pureboot.clone.events.resize.ResizePlan;
import io.pureboot.clone.events.session.ResizeMode;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * An MBR disk with a primary ext4 and an extended partition holding a logical ext4 and a logical swap, captured with
 * shrink_source and restored onto a same-size disk (no plan), a smaller one (logical 5 shrunk) and a larger one
 * (logical 5 grown): the extended partition and its EBR chain are laid out anew, numbers, types, the boot flag and the
 * disk signature are kept, and every file and filesystem check comes out as on the source.
 */
class MbrLogicalCloneTest {

    private static final long SOURCE_MIB = 256;

    @RegisterExtension
    static final SystemResources SHARED = SystemResources.perClass();

    @RegisterExtension
    final SystemResources resources = new SystemResources();

    private static Disk source;
    private static String sourceDump;
    private static Map<String, String> bootHashes;
    private static Map<String, String> dataHashes;
    private static Path staging;
    private static Manifest manifest;

    @BeforeAll
    static void captureSource() throws IOException {
        Sys.assumeRoot();
        source = TestDisks.mbrLogicalDisk(SHARED, SHARED.tempDirectory("pureboot-mbr-source"), SOURCE_MIB, 32, 160,
                40 * MIB);
        sourceDump = Sys.run("sfdisk", "--dump", source.device().toString()).stdout();
        bootHashes = TestDisks.mountedHashes(SHARED, source.partition(1), "-o", "ro");
        dataHashes = TestDisks.mountedHashes(SHARED, source.partition(5), "-o", "ro");
        assertThat(dataHashes).hasSizeGreaterThan(50).containsKey("logical.txt");
        staging = SHARED.tempDirectory("pureboot-mbr-staging");
        manifest = CloneFixture.capture(source.blockDevice(), staging, true, 0).manifest();
    }

    @Test
    void captureRecordsTheExtendedPartitionAndLeavesTheSourceAsItWas() throws IOException {
        ManifestContainer extended = manifest.table().extended();
        assertThat(extended).isNotNull();
        assertThat(extended.number()).isEqualTo(2);
        assertThat(extended.typeId()).isEqualTo("0x05");
        assertThat(manifest.partitions()).extracting(ManifestPartition::number).containsExactly(1, 5, 6);
        assertThat(manifest.partition(5).logical()).isTrue();
        assertThat(manifest.partition(5).shrunk()).isTrue();

        assertThat(Sys.run("sfdisk", "--dump", source.device().toString()).stdout()).isEqualTo(sourceDump);
        assertThat(TestDisks.mountedHashes(resources, source.partition(5), "-o", "ro")).isEqualTo(dataHashes);
        assertThat(Sys.runUnchecked("e2fsck", "-fn", source.partition(5).toString()).exitCode()).isZero();

        DiskInventory inventory = new Inventory(BlockDevices.system(), new Filesystems(CommandRunner.system()))
                .describe(source.blockDevice());
        assertThat(inventory.partitions()).extracting(PartitionInventory::number).containsExactly(1, 2, 5, 6);
        assertThat(inventory.partitions()).extracting(PartitionInventory::logical)
                .containsExactly(false, false, true, true);
    }

    @Test
    void sameSizeDiskWithoutAPlanGetsTheSourceLayout() throws IOException {
        Disk target = TestDisks.blank(resources, resources.tempDirectory("pureboot-mbr-same"), "same.img",
                SOURCE_MIB * MIB);

        CloneFixture.restore(target.blockDevice(), staging, null, resources.tempDirectory("pureboot-state"), 0);

        assertThat(tableLines(Sys.run("sfdisk", "--dump", target.device().toString()).stdout()))
                .hasSize(4).isEqualTo(tableLines(sourceDump));
        verifyFiles(target);
    }

    @Test
    void smallerDiskGetsLogicalPartitionFiveShrunk() throws IOException {
        long smaller = 150 * MIB;
        ResizePlan plan = Plans.mbrPlan(manifest, smaller, ResizeMode.SHRINK_SOURCE, Map.of(), 5);
        assertThat(plan.partitions().stream().filter(p -> p.partition() == 5).findFirst().orElseThrow()
                .newSizeBytes()).isLessThan(manifest.partition(5).sizeBytes());
        Disk target = TestDisks.blank(resources, resources.tempDirectory("pureboot-mbr-small"), "small.img", smaller);

        CloneFixture.restore(target.blockDevice(), staging, plan, resources.tempDirectory("pureboot-state"), 0);

        assertTableFollowsPlan(target, plan);
        verifyFiles(target);
    }

    @Test
    void largerDiskGetsLogicalPartitionFiveGrown() throws IOException {
        long larger = 384 * MIB;
        ResizePlan plan = Plans.mbrPlan(manifest, larger, ResizeMode.SHRINK_SOURCE, Map.of(), 5);
        Disk target = TestDisks.blank(resources, resources.tempDirectory("pureboot-mbr-large"), "large.img", larger);

        CloneFixture.restore(target.blockDevice(), staging, plan, resources.tempDirectory("pureboot-state"), 0);

        assertTableFollowsPlan(target, plan);
        verifyFiles(target);
    }

    /** The table sfdisk reads back from the target is the plan, partition by partition, with the source's flags. */
    private static void assertTableFollowsPlan(Disk target, ResizePlan plan) {
        String dump = Sys.run("sfdisk", "--dump", target.device().toString()).stdout();
        assertThat(dump).contains("label-id: 0x5eed1234");
        List<String> expected = new ArrayList<>();
        for (PartitionPlan entry : plan.partitions().stream()
                .sorted((a, b) -> Integer.compare(a.partition(), b.partition())).toList()) {
            String type = entry.partition() == 2 ? "5" : entry.partition() == 6 ? "82" : "83";
            expected.add("p" + entry.partition() + " start=" + entry.newStartBytes() / 512 + " size="
                    + entry.newSizeBytes() / 512 + " type=" + type + (entry.partition() == 1 ? " bootable" : ""));
        }
        assertThat(tableLines(dump)).isEqualTo(expected);
        long planned = plan.partitions().stream().filter(p -> p.partition() == 5).findFirst().orElseThrow()
                .newSizeBytes();
        assertThat(ext4Bytes(target.partition(5))).isEqualTo(planned);
    }

    private void verifyFiles(Disk target) throws IOException {
        for (int number : new int[] {1, 5}) {
            var check = Sys.runUnchecked("e2fsck", "-fn", target.partition(number).toString());
            assertThat(check.exitCode()).as("e2fsck -fn of partition %d: %s", number, check.stdout()).isZero();
        }
        assertThat(TestDisks.mountedHashes(resources, target.partition(1), "-o", "ro")).isEqualTo(bootHashes);
        assertThat(TestDisks.mountedHashes(resources, target.partition(5), "-o", "ro")).isEqualTo(dataHashes);
        assertThat(TestDisks.blkid(target.partition(1), "LABEL")).isEqualTo("boot");
        assertThat(TestDisks.blkid(target.partition(6), "TYPE")).isEqualTo("swap");
        assertThat(TestDisks.blkid(target.partition(6), "UUID")).isEqualTo(TestDisks.blkid(source.partition(6),
                "UUID"));
    }

    /** The partition lines of an sfdisk dump as {@code p5 start=... size=... type=83 bootable}, by number. */
    static List<String> tableLines(String dump) {
        List<String> lines = new ArrayList<>();
        for (String line : dump.lines().toList()) {
            int colon = line.indexOf(" : ");
            if (colon < 0) {
                continue;
            }
            String name = line.substring(0, colon).strip();
            String number = name.replaceAll(".*?(\\d+)$", "$1");
            String fields = line.substring(colon + 3).replaceAll("\\s+", "").replace(",", " ").strip();
            lines.add("p" + number + " " + fields);
        }
        lines.sort((a, b) -> Integer.compare(Integer.parseInt(a.substring(1, a.indexOf(' '))),
                Integer.parseInt(b.substring(1, b.indexOf(' ')))));
        return lines;
    }

    private static long ext4Bytes(Path device) {
        String output = Sys.run("dumpe2fs", "-h", device.toString()).stdout();
        long blocks = Long.parseLong(output.replaceAll("(?s).*Block count:\\s+(\\d+).*", "$1"));
        long blockSize = Long.parseLong(output.replaceAll("(?s).*Block size:\\s+(\\d+).*", "$1"));
        return blocks * blockSize;
    }
}
