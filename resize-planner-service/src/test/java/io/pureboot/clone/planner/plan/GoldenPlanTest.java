package io.pureboot.clone.planner.plan;

import static io.pureboot.clone.planner.plan.Disks.GIB;
import static io.pureboot.clone.planner.plan.Disks.MIB;
import static io.pureboot.clone.planner.plan.Disks.disk;
import static io.pureboot.clone.planner.plan.Disks.esp;
import static io.pureboot.clone.planner.plan.Disks.ext4;
import static io.pureboot.clone.planner.plan.Disks.mbr;
import static io.pureboot.clone.planner.plan.Disks.msr;
import static io.pureboot.clone.planner.plan.Disks.ntfs;
import static io.pureboot.clone.planner.plan.Disks.swap;
import static io.pureboot.clone.planner.plan.Disks.xfs;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.fail;

import io.pureboot.clone.events.node.DiskInventory;
import io.pureboot.clone.events.node.PartitionTableType;
import io.pureboot.clone.events.resize.PlanViolation;
import io.pureboot.clone.events.resize.ResizePlan;
import io.pureboot.clone.events.session.ResizeMode;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * The layouts operators meet, planned for smaller, equal and larger targets and compared with the
 * reviewed plans in src/test/resources/golden. Run with -Dgolden.update=true to rewrite them after a
 * deliberate change, then review the diff.
 */
class GoldenPlanTest {

    private static final Path GOLDEN = Path.of("src/test/resources/golden");

    // Disk sizes as vendors ship them: sectors x 512.
    private static final long GB_64 = 125_045_424L * 512;
    private static final long GB_128 = 250_069_680L * 512;
    private static final long GB_240 = 468_862_128L * 512;
    private static final long GB_256 = 500_118_192L * 512;
    private static final long GB_500 = 976_773_168L * 512;
    private static final long GB_512 = 1_000_215_216L * 512;
    private static final long GB_960 = 1_875_385_008L * 512;
    private static final long TB_1 = 1_953_525_168L * 512;
    private static final long TB_2 = 3_907_029_168L * 512;
    private static final long GB_40 = 78_165_360L * 512;
    private static final long GB_80 = 156_301_488L * 512;
    private static final long GB_160 = 312_581_808L * 512;

    /** ESP, MSR, C: and a Recovery partition after it, as Windows 11 setup lays out a 256 GB disk. */
    static DiskInventory windowsGpt() {
        long recoveryStart = 243_448 * MIB;
        return disk("windows", GB_256, PartitionTableType.GPT, 512,
                esp(1, MIB, 100 * MIB),
                msr(2, 101 * MIB, 16 * MIB),
                ntfs(3, 117 * MIB, recoveryStart - 117 * MIB, Disks.BASIC_DATA, 65 * GIB),
                ntfs(4, recoveryStart, 750 * MIB, Disks.WINDOWS_RECOVERY, 600 * MIB));
    }

    /** ESP, ext4 root, swap at the end of a 500 GB disk. */
    static DiskInventory linuxGpt() {
        long swapStart = 468_454 * MIB;
        return disk("linux", GB_500, PartitionTableType.GPT, 512,
                esp(1, MIB, 512 * MIB),
                ext4(2, 513 * MIB, swapStart - 513 * MIB, 20 * GIB),
                swap(3, swapStart, 8 * GIB));
    }

    /** ESP, ext4 root and an XFS data partition filling a 1 TB disk. */
    static DiskInventory linuxXfs() {
        long dataStart = 513 * MIB + 100 * GIB;
        return disk("linux-xfs", TB_1, PartitionTableType.GPT, 512,
                esp(1, MIB, 512 * MIB),
                ext4(2, 513 * MIB, 100 * GIB, 30 * GIB),
                xfs(3, dataStart, 931 * GIB - dataStart));
    }

    /** A legacy BIOS layout: /boot at sector 63 with the boot flag, root, swap; cylinder-era starts. */
    static DiskInventory mbrLegacy() {
        return disk("mbr-legacy", GB_80, PartitionTableType.MBR, 512,
                mbr(1, 63L * 512, 530_082L * 512, "0x83", "ext2", 100 * MIB, false, "boot"),
                mbr(2, 530_145L * 512, 151_572_975L * 512, "0x83", "ext4", 10 * GIB, false),
                mbr(3, 152_103_120L * 512, 4_194_304L * 512, "0x82", "swap", null, false));
    }

    /** A primary partition and an extended one holding two logical partitions. */
    static DiskInventory mbrLogical() {
        long extendedStart = MIB + 20 * GIB;
        return disk("mbr-logical", GB_80, PartitionTableType.MBR, 512,
                mbr(1, MIB, 20 * GIB, "0x83", "ext4", 5 * GIB, false, "boot"),
                mbr(2, extendedStart, 40 * GIB, "0x05", null, null, false),
                mbr(5, extendedStart + MIB, 30 * GIB, "0x83", "ext4", 10 * GIB, true),
                mbr(6, extendedStart + 30 * GIB + 2 * MIB, 4 * GIB, "0x82", "swap", null, true));
    }

    @Test
    void windowsGptOnSmallerEqualLargerAndTooSmallDisks() {
        CaptureLayout capture = capture(windowsGpt(), ResizeMode.SHRINK_SOURCE);
        golden("windows-gpt-128gb", plan(capture, GB_128, PlanOptions.DEFAULT));
        golden("windows-gpt-256gb-identity", plan(capture, GB_256, PlanOptions.DEFAULT));
        golden("windows-gpt-512gb-proportional", plan(capture, GB_512, PlanOptions.DEFAULT));
        golden("windows-gpt-512gb-grow-c", plan(capture, GB_512, new PlanOptions(GrowPolicy.ONE_PARTITION, 3,
                List.of())));
        ResizePlan tooSmall = plan(capture, GB_64, PlanOptions.DEFAULT);
        golden("windows-gpt-64gb-infeasible", tooSmall);
        assertThat(tooSmall.feasible()).isFalse();
        assertThat(tooSmall.violations()).extracting(PlanViolation::partition).contains(3, 4);
    }

    @Test
    void linuxGptShrinksRootAndSwapGrowsProportionallyOrOnePartition() {
        CaptureLayout capture = capture(linuxGpt(), ResizeMode.SHRINK_SOURCE);
        golden("linux-gpt-240gb", plan(capture, GB_240, PlanOptions.DEFAULT));
        golden("linux-gpt-1tb-proportional", plan(capture, TB_1, PlanOptions.DEFAULT));
        golden("linux-gpt-1tb-grow-root", plan(capture, TB_1, new PlanOptions(GrowPolicy.ONE_PARTITION, 2,
                List.of())));
        golden("linux-gpt-1tb-delete-swap", plan(capture, TB_1, new PlanOptions(GrowPolicy.ONE_PARTITION, 2,
                List.of(3))));
        ResizePlan growOnly = plan(capture(linuxGpt(), ResizeMode.GROW_TARGET), GB_240, PlanOptions.DEFAULT);
        golden("linux-gpt-240gb-grow-target-mode", growOnly);
        assertThat(growOnly.feasible()).isFalse();
    }

    @Test
    void xfsKeepsItsSizeWhenShrinkingAndGrowsWhenThereIsRoom() {
        CaptureLayout capture = capture(linuxXfs(), ResizeMode.SHRINK_SOURCE);
        golden("linux-xfs-960gb", plan(capture, GB_960, PlanOptions.DEFAULT));
        ResizePlan tooSmall = plan(capture, GB_500, PlanOptions.DEFAULT);
        golden("linux-xfs-500gb-infeasible", tooSmall);
        assertThat(tooSmall.violations()).singleElement().satisfies(v -> assertThat(v.partition()).isEqualTo(3));
        golden("linux-xfs-2tb-proportional", plan(capture, TB_2, PlanOptions.DEFAULT));
    }

    @Test
    void legacyMbrKeepsItsUnalignedBootPartitionAndAlignsWhatMoves() {
        CaptureLayout capture = capture(mbrLegacy(), ResizeMode.SHRINK_SOURCE);
        golden("mbr-legacy-40gb", plan(capture, GB_40, PlanOptions.DEFAULT));
        golden("mbr-legacy-80gb-identity", plan(capture, GB_80, PlanOptions.DEFAULT));
        golden("mbr-legacy-160gb-proportional", plan(capture, GB_160, PlanOptions.DEFAULT));
    }

    @Test
    void logicalPartitionsAreShrunkAndGrownInsideTheirExtendedPartition() {
        CaptureLayout capture = capture(mbrLogical(), ResizeMode.SHRINK_SOURCE);
        golden("mbr-logical-80gb-identity", plan(capture, GB_80, PlanOptions.DEFAULT));
        golden("mbr-logical-160gb-proportional", plan(capture, GB_160, PlanOptions.DEFAULT));
        golden("mbr-logical-160gb-grow-logical", plan(capture, GB_160, new PlanOptions(GrowPolicy.ONE_PARTITION, 5,
                List.of())));
        ResizePlan smaller = plan(capture, GB_40, PlanOptions.DEFAULT);
        golden("mbr-logical-40gb-shrunk", smaller);
        assertThat(smaller.feasible()).isTrue();
        ResizePlan tooSmall = plan(capture, 16L * GIB, PlanOptions.DEFAULT);
        golden("mbr-logical-16gib-infeasible", tooSmall);
        assertThat(tooSmall.feasible()).isFalse();
        assertThat(LayoutPlanner.checkOptions(capture, new PlanOptions(GrowPolicy.PROPORTIONAL, null, List.of(6))))
                .singleElement().satisfies(v -> assertThat(v.message()).contains("renumber"));
    }

    static CaptureLayout capture(DiskInventory source, ResizeMode mode) {
        return CaptureLayout.of(source, mode, Margins.DEFAULT, MIB);
    }

    static ResizePlan plan(CaptureLayout capture, long targetBytes, PlanOptions options) {
        ResizePlan plan = LayoutPlanner.plan(capture, new TargetDisk(targetBytes, 512), options);
        // Whatever the planner computed, the validator must agree with its verdict.
        assertThat(PlanValidator.validate(capture, new TargetDisk(targetBytes, 512), plan.partitions()))
                .isEqualTo(plan.violations());
        return plan;
    }

    private static void golden(String name, ResizePlan plan) {
        String actual = PlanText.render(plan);
        Path file = GOLDEN.resolve(name + ".txt");
        try {
            if (Boolean.getBoolean("golden.update") || !Files.exists(file)) {
                Files.createDirectories(GOLDEN);
                Files.writeString(file, actual, StandardCharsets.UTF_8);
                if (!Boolean.getBoolean("golden.update")) {
                    fail("wrote the missing golden file " + file + "; review it and run again");
                }
                return;
            }
            assertThat(actual).as("plan %s (rewrite with -Dgolden.update=true after review)", name)
                    .isEqualTo(Files.readString(file, StandardCharsets.UTF_8));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
