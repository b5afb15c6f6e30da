package io.pureboot.clone.planner.plan;

import static io.pureboot.clone.planner.plan.Disks.MIB;
import static org.assertj.core.api.Assertions.assertThat;

import io.pureboot.clone.events.node.DiskInventory;
import io.pureboot.clone.events.node.PartitionInventory;
import io.pureboot.clone.events.node.PartitionTableType;
import io.pureboot.clone.events.resize.PartitionAction;
import io.pureboot.clone.events.resize.PartitionPlan;
import io.pureboot.clone.events.resize.PlanViolation;
import io.pureboot.clone.events.resize.ResizePlan;
import io.pureboot.clone.events.session.ResizeMode;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Random;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;

/**
 * Properties of every plan over random layouts, modes, options and target sizes. The oracle for
 * feasibility is written independently of the planner: partitions at their minimum sizes, each at
 * its source start when it must keep it, else at the earliest place after its predecessor.
 *
 * <p>Each property runs {@code jqwik.tries} times (400, set in the module's pom); pass
 * {@code -Djqwik.tries=20000} for a deeper search.
 */
class LayoutPlannerPropertiesTest {

    /** A source, what the operator chose, and a target. */
    record Scenario(DiskInventory source, ResizeMode mode, PlanOptions options, TargetDisk target) {

        boolean sameSectors() {
            return target.logicalSectorSize() == source.logicalSectorSize();
        }

        CaptureLayout capture() {
            return CaptureLayout.of(source, mode, Margins.DEFAULT, MIB);
        }

        ResizePlan plan() {
            return LayoutPlanner.plan(capture(), target, options);
        }

        @Override
        public String toString() {
            return "mode " + mode + ", options " + options + ", target " + target + ", source " + source;
        }
    }

    @Provide
    Arbitrary<Scenario> scenarios() {
        return Arbitraries.randomValue(LayoutPlannerPropertiesTest::scenario);
    }

    @Property
    void partitionsNeverOverlapAndFeasiblePlansStayInsideTheUsableArea(@ForAll("scenarios") Scenario scenario) {
        ResizePlan plan = scenario.plan();
        if (!scenario.sameSectors()) {
            return;
        }
        long previousEnd = plan.firstUsableBytes();
        boolean logical = scenario.source().partitions().stream().anyMatch(PartitionInventory::logical);
        for (PartitionPlan partition : kept(plan)) {
            if (!logical) {
                assertThat(partition.newStartBytes()).as("start of %d", partition.partition())
                        .isGreaterThanOrEqualTo(previousEnd);
            }
            previousEnd = partition.newEndBytes();
            if (plan.feasible()) {
                assertThat(partition.newEndBytes()).as("end of %d", partition.partition())
                        .isLessThanOrEqualTo(plan.usableEndBytes());
            }
        }
        assertThat(plan.usableEndBytes()).isLessThanOrEqualTo(scenario.target().sizeBytes());
    }

    @Property
    void everyPartitionThatMovesStartsOnAnAlignmentBoundary(@ForAll("scenarios") Scenario scenario) {
        if (!scenario.sameSectors()) {
            return;
        }
        for (PartitionPlan partition : kept(scenario.plan())) {
            if (partition.newStartBytes() != partition.currentStartBytes()) {
                assertThat(partition.newStartBytes() % MIB).as("start of %d", partition.partition()).isZero();
            }
            assertThat(partition.newSizeBytes() % scenario.target().logicalSectorSize()).isZero();
        }
    }

    @Property
    void sizesRespectMinimaMaximaAndFixedPartitions(@ForAll("scenarios") Scenario scenario) {
        ResizePlan plan = scenario.plan();
        for (PartitionPlan partition : kept(plan)) {
            assertThat(partition.newSizeBytes()).as("size of %d", partition.partition())
                    .isGreaterThanOrEqualTo(partition.minimumSizeBytes());
            if (partition.maximumSizeBytes() != null) {
                assertThat(partition.newSizeBytes()).isLessThanOrEqualTo(partition.maximumSizeBytes());
            }
            PartitionKind kind = PartitionKind.of(partition.typeId(), partition.filesystem());
            switch (kind) {
                case BIOS_BOOT, MICROSOFT_RESERVED, EXTENDED, ENCRYPTED, UNKNOWN, OTHER_FILESYSTEM ->
                        assertThat(partition.newSizeBytes()).as("fixed %s", kind).isEqualTo(partition.currentSizeBytes());
                case XFS -> assertThat(partition.newSizeBytes()).isGreaterThanOrEqualTo(partition.currentSizeBytes());
                case SWAP, EXT, NTFS, BTRFS -> {
                    // may shrink or grow within the limits checked above
                }
            }
        }
    }

    @Property
    void minimaFollowTheFilesystemAndTheResizeMode(@ForAll("scenarios") Scenario scenario) {
        CaptureLayout capture = scenario.capture();
        for (PartitionInventory partition : scenario.source().partitions()) {
            PartitionLimits limits = capture.partition(partition.number());
            long size = partition.sizeBytes();
            long expected = size;
            PartitionKind kind = PartitionKind.of(partition.typeId(), partition.filesystem());
            if (kind == PartitionKind.SWAP && scenario.mode() != ResizeMode.NONE) {
                expected = Math.min(size, MIB);
            }
            boolean shrinkable = (kind == PartitionKind.EXT || kind == PartitionKind.NTFS || kind == PartitionKind.BTRFS)
                    && partition.canShrink() && partition.minimumSizeBytes() != null;
            if (scenario.mode() == ResizeMode.SHRINK_SOURCE && shrinkable) {
                long minimum = partition.minimumSizeBytes();
                long withMargin = Bytes.alignUp(minimum + Math.max(256 * MIB, Math.ceilDiv(minimum, 10)), MIB);
                expected = Math.min(size, withMargin);
            }
            assertThat(limits.minimumSizeBytes()).as("minimum of %d (%s)", partition.number(), kind).isEqualTo(expected);
            assertThat(limits.captureSizeBytes()).isEqualTo(kind == PartitionKind.SWAP ? size : expected);
        }
    }

    @Property
    void aTargetEqualToTheSourceGetsTheIdentityPlan(@ForAll("scenarios") Scenario scenario) {
        DiskInventory source = scenario.source();
        ResizePlan plan = LayoutPlanner.plan(scenario.capture(), new TargetDisk(source.sizeBytes(),
                source.logicalSectorSize()), PlanOptions.DEFAULT);
        assertThat(plan.feasible()).as(plan.errorMessage()).isTrue();
        for (PartitionPlan partition : plan.partitions()) {
            assertThat(partition.action()).isEqualTo(PartitionAction.KEEP);
            assertThat(partition.newStartBytes()).isEqualTo(partition.currentStartBytes());
            assertThat(partition.newSizeBytes()).isEqualTo(partition.currentSizeBytes());
        }
    }

    @Property
    void infeasibleExactlyWhenTheMinimaCannotFit(@ForAll("scenarios") Scenario scenario) {
        ResizePlan plan = scenario.plan();
        long minimalEnd = minimalEnd(scenario, plan);
        long usableEnd = usableEnd(scenario.source().tableType(), scenario.target());
        boolean sameSectors = scenario.target().logicalSectorSize() == scenario.source().logicalSectorSize();
        assertThat(plan.usableEndBytes()).isEqualTo(usableEnd);
        assertThat(plan.feasible()).as("minimal end %d, usable end %d: %s", minimalEnd, usableEnd, plan.errorMessage())
                .isEqualTo(sameSectors && minimalEnd <= usableEnd);
        if (!sameSectors) {
            assertThat(plan.violations()).extracting(PlanViolation::field).contains("logical_sector_size");
        } else if (minimalEnd > usableEnd) {
            // The violations name what ends past the usable end, the last of it by exactly the shortfall.
            assertThat(plan.violations()).extracting(PlanViolation::bytes).contains(minimalEnd - usableEnd);
            assertThat(plan.errorMessage()).contains("needs " + Bytes.describe(minimalEnd - usableEnd) + " more");
        }
    }

    @Property
    void theValidatorAgreesWithThePlannerAndOnlyMarkedPartitionsAreDeleted(@ForAll("scenarios") Scenario scenario) {
        ResizePlan plan = scenario.plan();
        assertThat(PlanValidator.validate(scenario.capture(), scenario.target(), plan.partitions()))
                .isEqualTo(plan.violations());
        assertThat(plan.feasible()).isEqualTo(plan.violations().isEmpty());
        for (PartitionPlan partition : plan.partitions()) {
            assertThat(partition.action() == PartitionAction.DELETE)
                    .isEqualTo(scenario.options().deletes(partition.partition()));
        }
    }

    @Property
    void anEditBelowAMinimumIsRefusedWithTheShortfall(@ForAll("scenarios") Scenario scenario) {
        ResizePlan plan = scenario.plan();
        PartitionPlan victim = kept(plan).stream().filter(p -> p.minimumSizeBytes() > 8L * 4096).findFirst()
                .orElse(null);
        if (!plan.feasible() || victim == null) {
            return;
        }
        long shortfall = scenario.target().logicalSectorSize();
        // No action for the kept partitions: the editor derives it from the size. Deletions stay deletions.
        List<PartitionEdit> edits = plan.partitions().stream().map(p -> p.action() == PartitionAction.DELETE
                ? new PartitionEdit(p.partition(), PartitionAction.DELETE, null, null)
                : new PartitionEdit(p.partition(), null, p.partition() == victim.partition()
                        ? p.minimumSizeBytes() - shortfall : p.newSizeBytes(), p.newStartBytes())).toList();
        ResizePlan edited = PlanEditor.apply(scenario.capture(), scenario.target(), edits);
        assertThat(edited.feasible()).isFalse();
        assertThat(edited.violations()).anySatisfy(v -> {
            assertThat(v.partition()).isEqualTo(victim.partition());
            assertThat(v.field()).isEqualTo("new_size_bytes");
            assertThat(v.bytes()).isEqualTo(shortfall);
        });
    }

    @Property
    void sendingBackAFeasiblePlanUnchangedIsFeasible(@ForAll("scenarios") Scenario scenario) {
        ResizePlan plan = scenario.plan();
        List<PartitionEdit> edits = plan.partitions().stream().map(p -> new PartitionEdit(p.partition(), p.action(),
                p.newSizeBytes(), p.newStartBytes())).toList();
        ResizePlan again = PlanEditor.apply(scenario.capture(), scenario.target(), edits);
        assertThat(again.partitions()).isEqualTo(plan.partitions());
        assertThat(again.feasible()).isEqualTo(plan.feasible());
    }

    private static List<PartitionPlan> kept(ResizePlan plan) {
        return plan.partitions().stream().filter(p -> p.action() != PartitionAction.DELETE).toList();
    }

    /** Where the layout ends with every partition at its minimum, placed as early as the rules allow. */
    private static long minimalEnd(Scenario scenario, ResizePlan plan) {
        List<PartitionPlan> partitions = plan.partitions();
        int lastPinned = -1;
        for (int i = 0; i < partitions.size(); i++) {
            if (partitions.get(i).action() != PartitionAction.DELETE && pinned(partitions.get(i), i)) {
                lastPinned = i;
            }
        }
        boolean logical = scenario.source().partitions().stream().anyMatch(PartitionInventory::logical);
        long previousEnd = firstUsable(scenario.source().tableType(), scenario.target().logicalSectorSize());
        long end = previousEnd;
        for (int i = 0; i < partitions.size(); i++) {
            PartitionPlan partition = partitions.get(i);
            if (partition.action() == PartitionAction.DELETE) {
                continue;
            }
            boolean keepsPlace = logical || i <= lastPinned;
            long size = keepsPlace && (logical || i < lastPinned) ? partition.currentSizeBytes()
                    : partition.minimumSizeBytes();
            long start = keepsPlace ? partition.currentStartBytes()
                    : earliest(partition.currentStartBytes(), previousEnd);
            previousEnd = start + size;
            end = Math.max(end, previousEnd);
        }
        return end;
    }

    private static boolean pinned(PartitionPlan partition, int index) {
        return index == 0 || PartitionKind.BIOS_BOOT_GUID.equals(partition.typeId());
    }

    private static long earliest(long source, long previousEnd) {
        long aligned = Math.ceilDiv(previousEnd, MIB) * MIB;
        return source >= previousEnd && source < aligned ? source : aligned;
    }

    private static long firstUsable(PartitionTableType table, int sector) {
        return table == PartitionTableType.GPT ? (2 + 16384 / sector) * (long) sector : sector;
    }

    private static long usableEnd(PartitionTableType table, TargetDisk target) {
        long sectors = target.sizeBytes() / target.logicalSectorSize();
        return table == PartitionTableType.GPT
                ? (sectors - 1 - 16384 / target.logicalSectorSize()) * target.logicalSectorSize()
                : Math.min(sectors, 0xffffffffL) * target.logicalSectorSize();
    }

    // ---- generation -----------------------------------------------------------------------------

    static Scenario scenario(Random random) {
        PartitionTableType table = random.nextInt(3) == 0 ? PartitionTableType.MBR : PartitionTableType.GPT;
        int sector = random.nextInt(4) == 0 ? 4096 : 512;
        int count = 1 + random.nextInt(table == PartitionTableType.MBR ? 4 : 6);
        long cursor = switch (random.nextInt(4)) {
            case 0 -> table == PartitionTableType.GPT ? firstUsable(table, sector) : sector == 512 ? 63L * 512 : MIB;
            default -> MIB;
        };
        List<Integer> numbers = new ArrayList<>();
        for (int n = 1; n <= count; n++) {
            numbers.add(n);
        }
        if (table == PartitionTableType.GPT && random.nextInt(4) == 0) {
            Collections.shuffle(numbers, random);
        }
        List<PartitionInventory> partitions = new ArrayList<>();
        for (int i = 0; i < count; i++) {
            if (i > 0 && random.nextInt(3) == 0) {
                cursor += (long) random.nextInt(4096) * sector;
            }
            if (i > 0 && random.nextBoolean()) {
                cursor = Bytes.alignUp(cursor, MIB);
            }
            long size = sectors(random, sector, random.nextInt(4) == 0 ? 64 * MIB : 16L << 30);
            partitions.add(partition(random, numbers.get(i), cursor, size, table, sector));
            cursor += size;
        }
        long backup = table == PartitionTableType.GPT ? (1 + 16384 / sector) * (long) sector : 0;
        long trailing = random.nextInt(3) == 0 ? 0 : (long) random.nextInt(1 << 20) * sector;
        DiskInventory source = Disks.disk("source", cursor + trailing + backup, table, sector,
                partitions.toArray(PartitionInventory[]::new));
        ResizeMode mode = ResizeMode.values()[random.nextInt(ResizeMode.values().length)];
        CaptureLayout capture = CaptureLayout.of(source, mode, Margins.DEFAULT, MIB);
        PlanOptions options = options(random, capture);
        int targetSector = random.nextInt(20) == 0 ? 4608 - sector : sector;
        long targetBytes = switch (random.nextInt(4)) {
            case 0 -> source.sizeBytes();
            case 1 -> boundary(random, capture, options, source, targetSector);
            default -> Math.max(MIB, Bytes.scale(source.sizeBytes(), 10 + random.nextInt(300), 100) / targetSector
                    * targetSector);
        };
        return new Scenario(source, mode, options, new TargetDisk(targetBytes, targetSector));
    }

    /** A target whose usable end is within a sector of the minimal layout's end: the edge of feasibility. */
    private static long boundary(Random random, CaptureLayout capture, PlanOptions options, DiskInventory source,
            int sector) {
        ResizePlan huge = LayoutPlanner.plan(capture, new TargetDisk(source.sizeBytes() * 4, source.logicalSectorSize()),
                options);
        Scenario probe = new Scenario(source, capture.resizeMode(), options, new TargetDisk(source.sizeBytes() * 4,
                source.logicalSectorSize()));
        long end = minimalEnd(probe, huge);
        long backup = source.tableType() == PartitionTableType.GPT ? (1 + 16384 / sector) * (long) sector : 0;
        long target = end + backup + (random.nextInt(3) - 1) * (long) sector;
        return Math.max(sector, target / sector * sector);
    }

    private static PlanOptions options(Random random, CaptureLayout capture) {
        List<Integer> deletions = new ArrayList<>();
        if (random.nextInt(5) == 0 && !capture.partitions().isEmpty()) {
            deletions.add(capture.partitions().get(random.nextInt(capture.partitions().size())).number());
        }
        if (random.nextInt(3) == 0) {
            int chosen = capture.partitions().get(random.nextInt(capture.partitions().size())).number();
            PlanOptions one = new PlanOptions(GrowPolicy.ONE_PARTITION, chosen, deletions);
            if (LayoutPlanner.checkOptions(capture, one).isEmpty()) {
                return one;
            }
        }
        return new PlanOptions(GrowPolicy.PROPORTIONAL, null, deletions);
    }

    private static PartitionInventory partition(Random random, int number, long start, long size,
            PartitionTableType table, int sector) {
        int kinds = table == PartitionTableType.GPT ? 11 : 9;
        return switch (random.nextInt(kinds)) {
            case 0 -> Disks.esp(number, start, size);
            case 1 -> Disks.ext4(number, start, size, null);
            case 2 -> Disks.xfs(number, start, size);
            case 3 -> Disks.swap(number, start, size);
            case 4 -> new PartitionInventory(number, start, size, Disks.LINUX_DATA, null, List.of(), null, null, null,
                    null, null, false, false, false);
            case 5 -> new PartitionInventory(number, start, size, Disks.LINUX_DATA, null, List.of(), "crypto_LUKS",
                    null, null, null, null, false, false, false);
            case 6 -> Disks.ntfs(number, start, size, Disks.BASIC_DATA, sectors(random, sector, size));
            case 7 -> new PartitionInventory(number, start, size, Disks.LINUX_DATA, null, List.of(), "btrfs", null,
                    null, null, sectors(random, sector, size), true, random.nextBoolean(), false);
            case 8 -> Disks.ext4(number, start, size, sectors(random, sector, size));
            case 9 -> Disks.biosBoot(number, start, size);
            default -> Disks.msr(number, start, size);
        };
    }

    /** A whole number of sectors between one sector and {@code max} bytes, small sizes as likely as large. */
    private static long sectors(Random random, int sector, long max) {
        long most = Math.max(1, max / sector);
        long scale = 1L << random.nextInt(64 - Long.numberOfLeadingZeros(most));
        return (1 + Math.floorMod(random.nextLong(), Math.min(most, scale))) * sector;
    }
}
