package io.pureboot.clone.planner.plan;

import io.pureboot.clone.events.node.PartitionTableType;
import io.pureboot.clone.events.resize.PartitionAction;
import io.pureboot.clone.events.resize.PartitionPlan;
import io.pureboot.clone.events.resize.PlanViolation;
import io.pureboot.clone.events.resize.ResizePlan;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Collectors;

/**
 * Computes the plan of one target disk from the session's capture layout.
 *
 * <ol>
 *   <li>Partitions keep their order and numbers. A partition that changes nothing keeps its start
 *       while everything before it is unchanged, so a target equal to the source gets the identity plan.</li>
 *   <li>If the layout fits, extra capacity is shared out by the grow policy.</li>
 *   <li>If it does not fit, partitions first move together (gaps close), then shrink: the chosen
 *       partition first with {@link GrowPolicy#ONE_PARTITION}, the others in proportion to the room
 *       they have above their minimum.</li>
 *   <li>If even every partition at its minimum does not fit, the plan is the minimal layout and is
 *       infeasible: the validator names each partition that ends past the usable end and by how much.</li>
 * </ol>
 *
 * Feasibility is never decided here: {@link PlanValidator} checks the result against every rule,
 * exactly as it checks an operator's edit.
 */
public final class LayoutPlanner {

    /** Enough for every practical layout; after that the planner takes every partition to its minimum. */
    private static final int MAX_ROUNDS = 10_000;

    private LayoutPlanner() {
    }

    /** What is wrong with the options for this source, field by field; empty when they can be used. */
    public static List<PlanViolation> checkOptions(CaptureLayout capture, PlanOptions options) {
        List<PlanViolation> problems = new ArrayList<>();
        String existing = capture.numbers().stream().map(String::valueOf).collect(Collectors.joining(", "));
        for (int number : options.deletePartitions()) {
            if (capture.partition(number) == null) {
                problems.add(new PlanViolation(number, "delete_partitions", null, "partition " + number
                        + " does not exist on the source disk (it has " + existing + ")"));
            } else if (capture.hasLogicalPartitions() && (capture.partition(number).logical()
                    || capture.partition(number).kind() == PartitionKind.EXTENDED)) {
                problems.add(new PlanViolation(number, "delete_partitions", null, "partition " + number
                        + " cannot be deleted: " + Slot.LOGICAL_DELETE_REASON));
            }
        }
        Integer chosen = options.growPartition();
        switch (options.growPolicy()) {
            case PROPORTIONAL -> {
                if (chosen != null) {
                    problems.add(new PlanViolation(chosen, "grow_partition", null,
                            "grow_partition is only used with grow_policy one_partition"));
                }
            }
            case ONE_PARTITION -> {
                if (chosen == null) {
                    problems.add(new PlanViolation(null, "grow_partition", null,
                            "grow_policy one_partition needs grow_partition: the partition that takes the room"));
                } else if (capture.partition(chosen) == null) {
                    problems.add(new PlanViolation(chosen, "grow_partition", null, "partition " + chosen
                            + " does not exist on the source disk (it has " + existing + ")"));
                } else if (options.deletes(chosen)) {
                    problems.add(new PlanViolation(chosen, "grow_partition", null, "partition " + chosen
                            + " is marked for deletion and cannot take the room"));
                } else {
                    Slot slot = Slot.of(capture, options.deletePartitions()).stream()
                            .filter(s -> s.limits().number() == chosen).findFirst().orElseThrow();
                    if (slot.headroom(slot.currentSize()) == 0) {
                        problems.add(new PlanViolation(chosen, "grow_partition", null, slot.limits().title()
                                + " cannot grow: " + slot.sizeReason()));
                    }
                }
            }
        }
        return problems;
    }

    /**
     * The plan of one target.
     *
     * @throws IllegalArgumentException when {@link #checkOptions} finds a problem with the options
     */
    public static ResizePlan plan(CaptureLayout capture, TargetDisk target, PlanOptions options) {
        List<PlanViolation> problems = checkOptions(capture, options);
        if (!problems.isEmpty()) {
            throw new IllegalArgumentException(problems.getFirst().message());
        }
        DiskGeometry geometry = DiskGeometry.of(capture.tableType(), target.sizeBytes(), target.logicalSectorSize());
        List<Slot> slots = Slot.of(capture, options.deletePartitions());
        long alignment = capture.alignmentBytes();
        long[] sizes = new long[slots.size()];
        for (int i = 0; i < slots.size(); i++) {
            sizes[i] = slots.get(i).deleted() ? 0 : slots.get(i).currentSize();
        }
        boolean sticky = true;
        String preamble = null;
        boolean resizable = target.logicalSectorSize() == capture.logicalSectorSize()
                && capture.tableType() != PartitionTableType.NONE;
        if (resizable && overflow(slots, sizes, geometry, alignment, true) <= 0) {
            grow(slots, sizes, geometry, capture, options);
        } else if (resizable) {
            sticky = false;
            if (!shrink(slots, sizes, geometry, alignment, options)) {
                for (int i = 0; i < slots.size(); i++) {
                    sizes[i] = slots.get(i).deleted() ? 0 : slots.get(i).minimumSizeBytes();
                }
                String needed = Bytes.describe(overflow(slots, sizes, geometry, alignment, false));
                preamble = "the partitions do not fit the target even at their minimum sizes: the target disk needs "
                        + needed + " more" + uncheckedNote(capture);
            }
        }
        long[] starts = Placement.starts(slots, sizes, null, geometry, alignment, sticky);
        List<PartitionPlan> partitions = new ArrayList<>();
        for (int i = 0; i < slots.size(); i++) {
            Slot slot = slots.get(i);
            partitions.add(PlanValidator.entry(capture, slot, starts[i], sizes[i], action(slot, sizes[i])));
        }
        return PlanValidator.finish(capture, target, partitions, List.of(), preamble);
    }

    /**
     * The shortfall of an infeasible plan counts a filesystem that needs a check at its full size: its real minimum
     * is unknown, not large, and the operator is told so.
     */
    private static String uncheckedNote(CaptureLayout capture) {
        List<String> unchecked = capture.partitions().stream().filter(p -> p.needsCheck() != null)
                .map(p -> p.title() + " counts at its full size: " + p.fixedReason()).toList();
        return unchecked.isEmpty() ? "" : " (" + String.join("; ", unchecked) + ")";
    }

    static PartitionAction action(Slot slot, long size) {
        if (slot.deleted()) {
            return PartitionAction.DELETE;
        }
        if (size < slot.currentSize()) {
            return PartitionAction.SHRINK;
        }
        return size > slot.currentSize() ? PartitionAction.GROW : PartitionAction.KEEP;
    }

    /** How far the layout ends past the usable end; zero or negative when it fits. */
    private static long overflow(List<Slot> slots, long[] sizes, DiskGeometry geometry, long alignment,
            boolean sticky) {
        long[] starts = Placement.starts(slots, sizes, null, geometry, alignment, sticky);
        return Placement.end(slots, starts, sizes, geometry) - geometry.usableEndBytes();
    }

    private static void grow(List<Slot> slots, long[] sizes, DiskGeometry geometry, CaptureLayout capture,
            PlanOptions options) {
        long alignment = capture.alignmentBytes();
        long[] current = sizes.clone();
        switch (options.growPolicy()) {
            case PROPORTIONAL -> {
                // -k1: each partition grows by its share of the source disk times the disk's growth. Free
                // space grows the same way, and a same-size target changes nothing.
                DiskGeometry source = capture.sourceGeometry();
                long growth = geometry.usableEndBytes() - source.usableEndBytes();
                long span = source.usableEndBytes() - source.firstUsableBytes();
                if (growth <= 0 || span <= 0) {
                    return;
                }
                for (int i = 0; i < slots.size(); i++) {
                    long share = Bytes.alignDown(Bytes.scale(growth, current[i], span), alignment);
                    sizes[i] += Math.min(share, slots.get(i).headroom(sizes[i]));
                }
            }
            case ONE_PARTITION -> {
                int chosen = indexOf(slots, options.growPartition());
                // Moving the partitions after it can close gaps and free more room: a few passes take it all.
                for (int pass = 0; pass < 3; pass++) {
                    long room = -overflow(slots, sizes, geometry, alignment, true);
                    long add = Math.min(Bytes.alignDown(room, alignment), slots.get(chosen).headroom(sizes[chosen]));
                    if (add <= 0) {
                        break;
                    }
                    sizes[chosen] += add;
                }
            }
        }
        // Partitions that move after a grown one start on the next boundary, which can cost up to one
        // alignment each: give that back from the largest growth.
        for (int round = 0; round < MAX_ROUNDS; round++) {
            long overflow = overflow(slots, sizes, geometry, alignment, true);
            if (overflow <= 0) {
                return;
            }
            int largest = -1;
            for (int i = 0; i < slots.size(); i++) {
                boolean grew = !slots.get(i).container() && sizes[i] > current[i];
                if (grew && (largest < 0 || sizes[i] - current[i] > sizes[largest] - current[largest])) {
                    largest = i;
                }
            }
            if (largest < 0) {
                break;
            }
            sizes[largest] -= Math.min(sizes[largest] - current[largest], Bytes.alignUp(overflow, alignment));
        }
        System.arraycopy(current, 0, sizes, 0, sizes.length);
    }

    /**
     * Makes the layout fit by moving and shrinking; false when even the minimal layout does not fit.
     * Filesystems give room first, in proportion to their room above their minimum (the fullest gives
     * least); swap may shrink to almost nothing but its size was somebody's choice, so it gives last.
     */
    private static boolean shrink(List<Slot> slots, long[] sizes, DiskGeometry geometry, long alignment,
            PlanOptions options) {
        if (overflow(slots, sizes, geometry, alignment, false) <= 0) {
            return true;
        }
        if (options.growPolicy() == GrowPolicy.ONE_PARTITION) {
            int chosen = indexOf(slots, options.growPartition());
            long overflow = overflow(slots, sizes, geometry, alignment, false);
            sizes[chosen] -= Math.min(slots.get(chosen).slack(sizes[chosen]), Bytes.alignUp(overflow, alignment));
        }
        for (boolean swapTier : new boolean[] {false, true}) {
            boolean[] tier = new boolean[slots.size()];
            for (int i = 0; i < slots.size(); i++) {
                tier[i] = (slots.get(i).limits().kind() == PartitionKind.SWAP) == swapTier;
            }
            if (shrinkTier(slots, sizes, tier, geometry, alignment)) {
                return true;
            }
        }
        return false;
    }

    private static boolean shrinkTier(List<Slot> slots, long[] sizes, boolean[] tier, DiskGeometry geometry,
            long alignment) {
        long overflow = overflow(slots, sizes, geometry, alignment, false);
        if (overflow <= 0) {
            return true;
        }
        long[] slack = new long[slots.size()];
        long totalSlack = 0;
        for (int i = 0; i < slots.size(); i++) {
            slack[i] = tier[i] ? slots.get(i).slack(sizes[i]) : 0;
            totalSlack += slack[i];
        }
        if (totalSlack == 0) {
            return false;
        }
        long wanted = Math.min(Bytes.alignUp(overflow, alignment), totalSlack);
        for (int i = 0; i < slots.size(); i++) {
            long share = Bytes.alignUp(Bytes.scale(wanted, slack[i], totalSlack), alignment);
            sizes[i] -= Math.min(slack[i], share);
        }
        // Partitions that move start on the next boundary, so the shares can fall a little short: take
        // the rest from the roomiest partition until the layout fits or the tier has nothing left.
        for (int round = 0; round < MAX_ROUNDS; round++) {
            overflow = overflow(slots, sizes, geometry, alignment, false);
            if (overflow <= 0) {
                return true;
            }
            int roomiest = -1;
            for (int i = 0; i < slots.size(); i++) {
                long room = tier[i] ? slots.get(i).slack(sizes[i]) : 0;
                if (room > 0 && (roomiest < 0 || room > slots.get(roomiest).slack(sizes[roomiest]))) {
                    roomiest = i;
                }
            }
            if (roomiest < 0) {
                return false;
            }
            sizes[roomiest] -= Math.min(slots.get(roomiest).slack(sizes[roomiest]), Bytes.alignUp(overflow, alignment));
        }
        for (int i = 0; i < slots.size(); i++) {
            if (tier[i]) {
                sizes[i] = slots.get(i).minimumSizeBytes();
            }
        }
        return overflow(slots, sizes, geometry, alignment, false) <= 0;
    }

    private static int indexOf(List<Slot> slots, int number) {
        for (int i = 0; i < slots.size(); i++) {
            if (slots.get(i).limits().number() == number) {
                return i;
            }
        }
        throw new IllegalArgumentException("partition " + number + " is not in the layout");
    }
}
