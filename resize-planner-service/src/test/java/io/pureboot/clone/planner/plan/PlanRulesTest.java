package io.pureboot.clone.planner.plan;

import static io.pureboot.clone.planner.plan.Disks.GIB;
import static io.pureboot.clone.planner.plan.Disks.MIB;
import static io.pureboot.clone.planner.plan.Disks.biosBoot;
import static io.pureboot.clone.planner.plan.Disks.disk;
import static io.pureboot.clone.planner.plan.Disks.esp;
import static io.pureboot.clone.planner.plan.Disks.ext4;
import static io.pureboot.clone.planner.plan.Disks.mbr;
import static io.pureboot.clone.planner.plan.Disks.swap;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.pureboot.clone.events.EventCodec;
import io.pureboot.clone.events.node.DiskInventory;
import io.pureboot.clone.events.node.PartitionInventory;
import io.pureboot.clone.events.node.PartitionTableType;
import io.pureboot.clone.events.resize.PartitionAction;
import io.pureboot.clone.events.resize.PartitionPlan;
import io.pureboot.clone.events.resize.PlanViolation;
import io.pureboot.clone.events.resize.ResizePlan;
import io.pureboot.clone.events.session.ResizeMode;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The rules random layouts reach rarely, one by one, with the messages operators read. */
class PlanRulesTest {

    private static final long TB_4 = 4L * 1000 * 1000 * 1000 * 1000;

    @Test
    void mbrTargetsEndAtTheTwoTebibyteLimitOfThirtyTwoBitSectors() {
        DiskInventory source = disk("mbr", 1000L * 1000 * 1000 * 1000, PartitionTableType.MBR, 512,
                mbr(1, MIB, 900 * GIB, "0x83", "ext4", 100 * GIB, false));
        ResizePlan plan = LayoutPlanner.plan(capture(source, ResizeMode.GROW_TARGET), new TargetDisk(TB_4, 512),
                new PlanOptions(GrowPolicy.ONE_PARTITION, 1, List.of()));

        assertThat(plan.usableEndBytes()).isEqualTo(0xffff_ffffL * 512);
        assertThat(plan.feasible()).isTrue();
        assertThat(plan.partitions().getFirst().newEndBytes()).isLessThanOrEqualTo(0xffff_ffffL * 512)
                .isGreaterThan(0xffff_ffffL * 512 - MIB);
    }

    @Test
    void aTargetWithOtherSectorsIsRefusedWithTheReason() {
        DiskInventory source = disk("s", 100 * GIB, PartitionTableType.GPT, 512, ext4(1, MIB, 50 * GIB, 10 * GIB));
        ResizePlan plan = LayoutPlanner.plan(capture(source, ResizeMode.SHRINK_SOURCE), new TargetDisk(100 * GIB, 4096),
                PlanOptions.DEFAULT);

        assertThat(plan.feasible()).isFalse();
        assertThat(plan.violations()).singleElement().satisfies(v -> {
            assertThat(v.field()).isEqualTo("logical_sector_size");
            assertThat(v.message()).startsWith("the target disk has 4096-byte logical sectors and the source 512-byte");
        });
    }

    @Test
    void aSourceWithFourKibibyteSectorsIsRefusedOnATargetWithFiveHundredTwelveByteSectors() {
        DiskInventory source = disk("s4k", 100 * GIB, PartitionTableType.GPT, 4096, ext4(1, MIB, 50 * GIB, 10 * GIB));
        ResizePlan plan = LayoutPlanner.plan(capture(source, ResizeMode.SHRINK_SOURCE), new TargetDisk(100 * GIB, 512),
                PlanOptions.DEFAULT);

        assertThat(plan.feasible()).isFalse();
        assertThat(plan.violations()).singleElement().satisfies(v -> {
            assertThat(v.field()).isEqualTo("logical_sector_size");
            assertThat(v.message()).startsWith("the target disk has 512-byte logical sectors and the source 4096-byte");
        });
    }

    /** The power-cut source: resize2fs -P refused it, and the analysis gave a wrong shortfall. */
    @Test
    void aFilesystemThatNeedsACheckIsPlannedAtItsFullSizeAndTheAnalysisSaysWhy() {
        String journal = "the ext journal needs recovery (needs_recovery is set)";
        DiskInventory source = disk("unclean", 4 * GIB, PartitionTableType.GPT, 512,
                esp(1, MIB, 256 * MIB),
                new PartitionInventory(2, 257 * MIB, 3 * GIB, Disks.LINUX_DATA, null, List.of(), "ext4", null, null,
                        null, null, false, false, false, journal));
        CaptureLayout capture = capture(source, ResizeMode.SHRINK_SOURCE);
        PartitionLimits root = capture.partition(2);
        assertThat(root.captureSizeBytes()).isEqualTo(3 * GIB);
        assertThat(root.minimumSizeBytes()).isEqualTo(3 * GIB);
        assertThat(root.maximumSizeBytes()).isEqualTo(3 * GIB);
        assertThat(root.needsCheck()).isEqualTo(journal);
        assertThat(root.fixedReason()).isEqualTo("ext4 needs a filesystem check before it can be sized (" + journal
                + "): its minimum size is unknown, so it is copied at its full size and not resized; shrink_source "
                + "stops on it before changing the source unless the session asks for repair_source (or it is "
                + "checked and repaired by hand and the node reports its disks again)");

        ResizePlan small = LayoutPlanner.plan(capture, new TargetDisk(2 * GIB, 512), PlanOptions.DEFAULT);
        assertThat(small.feasible()).isFalse();
        assertThat(small.errorMessage()).contains("ext4 needs a filesystem check before it can be sized (" + journal);
        ResizePlan large = LayoutPlanner.plan(capture, new TargetDisk(8 * GIB, 512), PlanOptions.DEFAULT);
        assertThat(large.feasible()).isTrue();
        assertThat(large.partitions().get(1).newSizeBytes()).isEqualTo(3 * GIB);

        assertThat(capture(source, ResizeMode.GROW_TARGET).partition(2).fixedReason())
                .endsWith("so it is copied at its full size and not resized");
    }

    /**
     * NTFS marked dirty, an XFS log and a btrfs log tree that need replay (as the agent reports them): each planned at
     * its full size, the reason saying what shrink_source will do with it.
     */
    @Test
    void uncleanNtfsXfsAndBtrfsArePlannedAtTheirFullSizeSayingWhatTheSourceAgentWillDo() {
        String dirty = "the NTFS volume is marked dirty";
        String xfsLog = "the XFS log needs recovery";
        String btrfsLog = "the btrfs log tree needs replay";
        DiskInventory source = disk("unclean", 8 * GIB, PartitionTableType.GPT, 512,
                new PartitionInventory(1, MIB, GIB, Disks.BASIC_DATA, null, List.of(), "ntfs", null, null, null, null,
                        false, false, false, dirty),
                new PartitionInventory(2, GIB + MIB, GIB, Disks.LINUX_DATA, null, List.of(), "xfs", null, null, null,
                        null, false, false, false, xfsLog),
                new PartitionInventory(3, 2 * GIB + MIB, GIB, Disks.LINUX_DATA, null, List.of(), "btrfs", null, null,
                        null, null, false, false, false, btrfsLog));
        CaptureLayout capture = capture(source, ResizeMode.SHRINK_SOURCE);

        for (int number = 1; number <= 3; number++) {
            PartitionLimits limits = capture.partition(number);
            assertThat(limits.minimumSizeBytes()).isEqualTo(GIB);
            assertThat(limits.maximumSizeBytes()).isEqualTo(GIB);
        }
        assertThat(capture.partition(1).needsCheck()).isEqualTo(dirty);
        assertThat(capture.partition(1).fixedReason()).isEqualTo("ntfs needs a filesystem check before it can be sized ("
                + dirty + "): its minimum size is unknown, so it is copied at its full size and not resized; "
                + "shrink_source stops on it before changing the source unless the session asks for repair_source (or "
                + "it is checked and repaired by hand and the node reports its disks again)");
        assertThat(capture.partition(2).fixedReason()).isEqualTo("xfs needs a filesystem check before it can be sized ("
                + xfsLog + "): its minimum size is unknown, so it is copied at its full size and not resized; "
                + "shrink_source leaves it as it is (XFS is never shrunk) and the target replays its log");
        assertThat(capture.partition(3).fixedReason()).endsWith("shrink_source stops on it before changing the source "
                + "unless the session asks for repair_source, which replays a btrfs log by mounting it once (other "
                + "btrfs damage the agent does not repair: it must be checked and repaired by hand and the node "
                + "reports its disks again)");

        ResizePlan small = LayoutPlanner.plan(capture, new TargetDisk(3 * GIB, 512), PlanOptions.DEFAULT);
        assertThat(small.feasible()).isFalse();
        assertThat(small.errorMessage()).contains(btrfsLog);
        ResizePlan large = LayoutPlanner.plan(capture, new TargetDisk(16 * GIB, 512), PlanOptions.DEFAULT);
        assertThat(large.feasible()).isTrue();
        assertThat(large.partitions()).extracting(PartitionPlan::newSizeBytes).containsExactly(GIB, GIB, GIB);
    }

    @Test
    void lvmMembersAndBitLockerAreCopiedRawNotResized() {
        DiskInventory source = disk("raw", 4 * GIB, PartitionTableType.GPT, 512,
                new PartitionInventory(1, MIB, GIB, Disks.LINUX_DATA, null, List.of(), "LVM2_member", null, null, null,
                        null, false, false, false),
                new PartitionInventory(2, GIB + MIB, GIB, Disks.BASIC_DATA, null, List.of(), "BitLocker", null, null,
                        null, null, false, false, false));
        CaptureLayout capture = capture(source, ResizeMode.SHRINK_SOURCE);

        assertThat(capture.partition(1).fixedReason()).isEqualTo("LVM physical volume (LVM2_member): copied raw, not "
                + "resized (the node agent does not resize LVM volumes)");
        assertThat(capture.partition(2).fixedReason()).isEqualTo("encrypted (BitLocker): the agent cannot see inside, "
                + "so it is copied raw, not resized");
        ResizePlan plan = LayoutPlanner.plan(capture, new TargetDisk(8 * GIB, 512), PlanOptions.DEFAULT);
        assertThat(plan.partitions()).extracting(PartitionPlan::newSizeBytes).containsExactly(GIB, GIB);
    }

    @Test
    void logicalPartitionsNeedASectorForTheirBootRecordAndRoomInsideTheExtendedPartition() {
        CaptureLayout capture = capture(GoldenPlanTest.mbrLogical(), ResizeMode.SHRINK_SOURCE);
        TargetDisk target = new TargetDisk(100 * GIB, 512);
        ResizePlan planned = LayoutPlanner.plan(capture, target, PlanOptions.DEFAULT);
        PartitionPlan five = planned.partitions().stream().filter(p -> p.partition() == 5).findFirst().orElseThrow();
        PartitionPlan six = planned.partitions().stream().filter(p -> p.partition() == 6).findFirst().orElseThrow();
        PartitionPlan extended = planned.partitions().stream().filter(p -> p.partition() == 2).findFirst()
                .orElseThrow();
        assertThat(planned.feasible()).isTrue();
        assertThat(six.newStartBytes()).isGreaterThan(five.newEndBytes());
        assertThat(extended.newStartBytes()).isLessThan(five.newStartBytes());
        assertThat(extended.newEndBytes()).isEqualTo(six.newEndBytes());

        List<PartitionEdit> edits = planned.partitions().stream().map(p -> new PartitionEdit(p.partition(), null,
                p.newSizeBytes(), p.partition() == 6 ? five.newEndBytes() : p.newStartBytes())).toList();
        ResizePlan noEbrRoom = PlanEditor.apply(capture, target, edits);
        assertThat(noEbrRoom.violations()).extracting(PlanViolation::message).contains("partition 6 (swap) starts at "
                + five.newEndBytes() + ", leaving no sector for its extended boot record after byte "
                + five.newEndBytes() + " (it must start at " + (five.newEndBytes() + 512) + " or later)");

        PartitionPlan shorter = new PartitionPlan(2, extended.typeId(), extended.currentStartBytes(),
                extended.currentSizeBytes(), extended.newStartBytes(), extended.newSizeBytes() - MIB,
                extended.minimumSizeBytes(), extended.maximumSizeBytes(), extended.captureSizeBytes(), null,
                extended.newSizeBytes() - MIB > extended.currentSizeBytes() ? PartitionAction.GROW
                        : extended.newSizeBytes() - MIB < extended.currentSizeBytes() ? PartitionAction.SHRINK
                                : PartitionAction.KEEP, null);
        List<PartitionPlan> edited = planned.partitions().stream().map(p -> p.partition() == 2 ? shorter : p).toList();
        assertThat(PlanValidator.validate(capture, target, edited)).extracting(PlanViolation::message)
                .containsExactly("partition 6 (swap) ends 1.0 MiB (1048576 bytes) past the end of partition 2 "
                        + "(extended) at " + (extended.newEndBytes() - MIB));

        assertThat(LayoutPlanner.checkOptions(capture, new PlanOptions(GrowPolicy.PROPORTIONAL, null, List.of(1))))
                .isEmpty();
    }

    @Test
    void aDiskWithoutPartitionTableIsCopiedWholeAndNeedsATargetAsLarge() {
        DiskInventory source = disk("raw", 10 * GIB, PartitionTableType.NONE, 512);
        CaptureLayout capture = capture(source, ResizeMode.SHRINK_SOURCE);

        assertThat(LayoutPlanner.plan(capture, new TargetDisk(12 * GIB, 512), PlanOptions.DEFAULT).feasible()).isTrue();
        ResizePlan smaller = LayoutPlanner.plan(capture, new TargetDisk(10 * GIB - MIB, 512), PlanOptions.DEFAULT);
        assertThat(smaller.violations()).singleElement().satisfies(v -> {
            assertThat(v.field()).isEqualTo("target_disk_bytes");
            assertThat(v.bytes()).isEqualTo(MIB);
        });
    }

    @Test
    void aBiosBootPartitionKeepsItsPlaceAndPinsWhatLiesBeforeIt() {
        DiskInventory source = disk("grub", 100 * GIB, PartitionTableType.GPT, 512,
                ext4(1, MIB, 10 * GIB, GIB),
                biosBoot(2, MIB + 10 * GIB, MIB),
                ext4(3, 2 * MIB + 10 * GIB, 80 * GIB, 5 * GIB));
        CaptureLayout capture = capture(source, ResizeMode.SHRINK_SOURCE);
        ResizePlan plan = LayoutPlanner.plan(capture, new TargetDisk(50 * GIB, 512), PlanOptions.DEFAULT);

        assertThat(plan.feasible()).isTrue();
        assertThat(plan.partitions()).extracting(PartitionPlan::action)
                .containsExactly(PartitionAction.KEEP, PartitionAction.KEEP, PartitionAction.SHRINK);
        assertThat(plan.partitions().getFirst().fixedReason())
                .contains("it lies before partition 2 (BIOS boot), which must keep its start");

        ResizePlan moved = PlanEditor.apply(capture, new TargetDisk(50 * GIB, 512), List.of(
                new PartitionEdit(1, null, null, null),
                new PartitionEdit(2, null, null, 20 * GIB),
                new PartitionEdit(3, null, 20 * GIB, 21 * GIB)));
        assertThat(moved.violations()).extracting(PlanViolation::message).anySatisfy(message -> assertThat(message)
                .startsWith("partition 2 (BIOS boot) must keep its start " + (MIB + 10 * GIB)));
    }

    @Test
    void theEditorNamesMissingUnknownAndRepeatedPartitionsAndWrongActions() {
        CaptureLayout capture = capture(linux(), ResizeMode.SHRINK_SOURCE);
        ResizePlan plan = PlanEditor.apply(capture, new TargetDisk(100 * GIB, 512), List.of(
                new PartitionEdit(2, PartitionAction.GROW, 40 * GIB, null),
                new PartitionEdit(2, PartitionAction.KEEP, null, null),
                new PartitionEdit(7, PartitionAction.KEEP, null, null)));

        assertThat(plan.feasible()).isFalse();
        assertThat(plan.violations()).extracting(PlanViolation::message).contains(
                "partition 7 does not exist on the source disk (it has 1, 2, 3)",
                "partition 2 is listed more than once",
                "partition 1 (vfat) is missing from the plan: list every source partition, with action delete to drop one",
                "partition 3 (swap) is missing from the plan: list every source partition, with action delete to drop one");
        assertThat(plan.violations()).filteredOn(v -> "action".equals(v.field())).singleElement()
                .satisfies(v -> assertThat(v.message()).contains("action grow does not match new size 40.0 GiB")
                        .endsWith("the action is shrink"));
    }

    @Test
    void startsLeftOutFollowThePreviousPartitionAndExplicitOnesAreChecked() {
        CaptureLayout capture = capture(linux(), ResizeMode.SHRINK_SOURCE);
        TargetDisk target = new TargetDisk(100 * GIB, 512);

        ResizePlan packed = PlanEditor.apply(capture, target, List.of(
                new PartitionEdit(1, null, null, null),
                new PartitionEdit(2, null, 30 * GIB, null),
                new PartitionEdit(3, PartitionAction.DELETE, null, null)));
        assertThat(packed.feasible()).isTrue();
        assertThat(packed.partitions().get(1).newStartBytes()).isEqualTo(513 * MIB);
        assertThat(packed.partitions().get(2)).satisfies(p -> {
            assertThat(p.newSizeBytes()).isZero();
            assertThat(p.newStartBytes()).isZero();
        });

        ResizePlan overlapping = PlanEditor.apply(capture, target, List.of(
                new PartitionEdit(1, null, null, null),
                new PartitionEdit(2, null, 30 * GIB, null),
                new PartitionEdit(3, null, null, 513 * MIB + 30 * GIB - 2 * MIB)));
        assertThat(overlapping.violations()).singleElement().satisfies(v -> {
            assertThat(v.partition()).isEqualTo(3);
            assertThat(v.bytes()).isEqualTo(2 * MIB);
            assertThat(v.message()).startsWith("partition 3 (swap) overlaps partition 2 (ext4) by 2.0 MiB");
        });

        ResizePlan unaligned = PlanEditor.apply(capture, target, List.of(
                new PartitionEdit(1, null, null, null),
                new PartitionEdit(2, null, 30 * GIB, null),
                new PartitionEdit(3, null, null, 513 * MIB + 30 * GIB + 4096)));
        assertThat(unaligned.violations()).singleElement().satisfies(v -> {
            assertThat(v.bytes()).isEqualTo(4096);
            assertThat(v.message()).contains("is neither its source start nor a multiple of 1.0 MiB");
        });
    }

    @Test
    void optionsThatCannotApplyAreNamed() {
        CaptureLayout capture = capture(linux(), ResizeMode.SHRINK_SOURCE);

        assertThat(LayoutPlanner.checkOptions(capture, new PlanOptions(GrowPolicy.ONE_PARTITION, null, List.of())))
                .extracting(PlanViolation::field).containsExactly("grow_partition");
        assertThat(LayoutPlanner.checkOptions(capture, new PlanOptions(GrowPolicy.PROPORTIONAL, 2, List.of())))
                .extracting(PlanViolation::message).containsExactly(
                        "grow_partition is only used with grow_policy one_partition");
        assertThat(LayoutPlanner.checkOptions(capture, new PlanOptions(GrowPolicy.ONE_PARTITION, 2, List.of(2))))
                .extracting(PlanViolation::message).containsExactly(
                        "partition 2 is marked for deletion and cannot take the room");
        assertThat(LayoutPlanner.checkOptions(capture(linux(), ResizeMode.NONE),
                new PlanOptions(GrowPolicy.ONE_PARTITION, 2, List.of()))).extracting(PlanViolation::message)
                .containsExactly("partition 2 (ext4) cannot grow: resize mode none copies partitions as they are");
    }

    @Test
    void inconsistentInventoriesAreRefusedWithThePartitionAndTheBytes() {
        DiskInventory overlapping = disk("bad", 100 * GIB, PartitionTableType.GPT, 512,
                ext4(1, MIB, 10 * GIB, null), ext4(2, 10 * GIB, 10 * GIB, null));
        assertThatThrownBy(() -> capture(overlapping, ResizeMode.NONE))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("partition 2 of disk bad overlaps partition 1 by 1048576 bytes");
        DiskInventory partial = disk("odd", 100 * GIB, PartitionTableType.GPT, 4096, ext4(1, MIB, 10 * GIB + 512, null));
        assertThatThrownBy(() -> capture(partial, ResizeMode.NONE))
                .hasMessageContaining("is not made of whole 4096-byte sectors");
    }

    @Test
    void whatTheDatabaseKeepsReadsBackEqual() throws Exception {
        CaptureLayout capture = capture(GoldenPlanTest.windowsGpt(), ResizeMode.SHRINK_SOURCE);
        PlanBasis basis = new PlanBasis(capture, new TargetDisk(128 * GIB, 512));
        PlanOptions options = new PlanOptions(GrowPolicy.ONE_PARTITION, 3, List.of(4));
        ResizePlan plan = LayoutPlanner.plan(capture, basis.target(), options);

        var mapper = EventCodec.mapper();
        assertThat(mapper.readValue(mapper.writeValueAsString(basis), PlanBasis.class)).isEqualTo(basis);
        assertThat(mapper.readValue(mapper.writeValueAsString(options), PlanOptions.class)).isEqualTo(options);
        assertThat(mapper.readValue(mapper.writeValueAsString(plan), ResizePlan.class)).isEqualTo(plan);
        assertThat(mapper.writeValueAsString(options)).contains("\"grow_policy\":\"one_partition\"");
    }

    private static DiskInventory linux() {
        return disk("linux", 100 * GIB, PartitionTableType.GPT, 512,
                esp(1, MIB, 512 * MIB),
                ext4(2, 513 * MIB, 60 * GIB, 10 * GIB),
                swap(3, 513 * MIB + 60 * GIB, 4 * GIB));
    }

    private static CaptureLayout capture(DiskInventory source, ResizeMode mode) {
        return CaptureLayout.of(source, mode, Margins.DEFAULT, MIB);
    }
}
