package io.pureboot.clone.planner.plan;

import io.pureboot.clone.events.node.PartitionTableType;
import io.pureboot.clone.events.resize.PartitionAction;
import io.pureboot.clone.events.resize.PartitionPlan;
import io.pureboot.clone.events.resize.PlanViolation;
import io.pureboot.clone.events.resize.ResizePlan;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;
import java.util.stream.Stream;

/**
 * Checks a plan, computed or edited, against every rule. Only the plan's choices are read (action,
 * new start, new size per partition); the limits always come from the capture layout, so a client
 * cannot loosen them by sending other minimums, and {@code feasible} is always this class's answer.
 */
public final class PlanValidator {

    /** Starts and sizes above this (1 EiB) are refused before any arithmetic, so that no sum overflows. */
    private static final long BEYOND_ANY_DISK = 1L << 60;

    private PlanValidator() {
    }

    /** A plan with its violations, feasibility and error message filled in. */
    public static ResizePlan finish(CaptureLayout capture, TargetDisk target, List<PartitionPlan> partitions,
            List<PlanViolation> earlier, String preamble) {
        List<PlanViolation> violations = new ArrayList<>(earlier);
        violations.addAll(validate(capture, target, partitions));
        DiskGeometry geometry = DiskGeometry.of(capture.tableType(), target.sizeBytes(), target.logicalSectorSize());
        boolean feasible = violations.isEmpty();
        String message = feasible ? null : Stream.concat(Stream.ofNullable(preamble),
                violations.stream().map(PlanViolation::message)).collect(Collectors.joining("; "));
        return new ResizePlan(capture.sourceDiskBytes(), target.sizeBytes(), capture.resizeMode(), capture.tableType(),
                target.logicalSectorSize(), capture.alignmentBytes(), geometry.firstUsableBytes(),
                geometry.usableEndBytes(), partitions, feasible, message, violations);
    }

    /** Every rule the plan breaks, partition by partition in disk order; empty when it breaks none. */
    public static List<PlanViolation> validate(CaptureLayout capture, TargetDisk target, List<PartitionPlan> plan) {
        List<PlanViolation> violations = new ArrayList<>();
        DiskGeometry geometry = DiskGeometry.of(capture.tableType(), target.sizeBytes(), target.logicalSectorSize());
        if (target.logicalSectorSize() != capture.logicalSectorSize()) {
            violations.add(new PlanViolation(null, "logical_sector_size", null, "the target disk has "
                    + target.logicalSectorSize() + "-byte logical sectors and the source " + capture.logicalSectorSize()
                    + "-byte ones: partition tables and filesystems (NTFS, FAT, XFS) are laid out in sectors, so "
                    + "cloning across sector sizes is not supported"));
        }
        if (capture.tableType() == PartitionTableType.NONE) {
            if (target.sizeBytes() < capture.sourceDiskBytes()) {
                long missing = capture.sourceDiskBytes() - target.sizeBytes();
                violations.add(new PlanViolation(null, "target_disk_bytes", missing, "the source disk has no "
                        + "partition table and is copied whole: the target is " + Bytes.describe(missing)
                        + " smaller than the source"));
            }
            plan.forEach(p -> violations.add(new PlanViolation(p.partition(), "partition", null, "partition "
                    + p.partition() + " does not exist: the source disk has no partition table")));
            return violations;
        }
        if (geometry.usableEndBytes() < geometry.firstUsableBytes()) {
            long by = geometry.firstUsableBytes() - geometry.usableEndBytes();
            violations.add(new PlanViolation(null, "target_disk_bytes", by, "the target disk of "
                    + Bytes.describe(target.sizeBytes()) + " cannot even hold " + (capture.tableType()
                    == PartitionTableType.GPT ? "a GPT's primary and backup tables" : "a partition table")
                    + ": it needs " + Bytes.describe(by) + " more"));
        }
        Map<Integer, PartitionPlan> byNumber = membership(capture, plan, violations);
        Set<Integer> deleted = byNumber.values().stream().filter(p -> p.action() == PartitionAction.DELETE)
                .map(PartitionPlan::partition).collect(Collectors.toSet());
        List<Slot> slots = Slot.of(capture, deleted);
        long previousEnd = geometry.firstUsableBytes();
        PartitionLimits previous = null;
        PartitionLimits container = null;
        long containerEnd = 0;
        long ebrFloor = 0;
        for (Slot slot : slots) {
            PartitionPlan entry = byNumber.get(slot.limits().number());
            if (entry == null) {
                continue;
            }
            if (slot.deleted()) {
                checkDeleted(capture, slot, entry, violations);
                continue;
            }
            if (!checkValues(slot, entry, geometry, violations)) {
                previousEnd = Long.MAX_VALUE;
                continue;
            }
            if (slot.container()) {
                checkContainer(slot, entry, violations);
            } else {
                checkLimits(capture, slot, entry, violations);
            }
            long start = entry.newStartBytes();
            long end = start + entry.newSizeBytes();
            String title = slot.limits().title();
            if (start < geometry.firstUsableBytes()) {
                long by = geometry.firstUsableBytes() - start;
                violations.add(new PlanViolation(slot.limits().number(), "new_start_bytes", by, title + " starts "
                        + Bytes.describe(by) + " before the first usable byte " + geometry.firstUsableBytes()
                        + " of the target (" + (capture.tableType() == PartitionTableType.GPT
                        ? "the GPT primary table" : "the MBR") + " lies before it)"));
            } else if (slot.limits().logical() && container != null) {
                checkLogical(slot, start, end, container, containerEnd, ebrFloor, geometry, violations);
                ebrFloor = Math.max(ebrFloor, end);
            } else if (previous != null && start < previousEnd) {
                long by = Math.min(previousEnd, end) - start;
                violations.add(new PlanViolation(slot.limits().number(), "new_start_bytes", by, title + " overlaps "
                        + previous.title() + " by " + Bytes.describe(by) + ": it starts at " + start + ", "
                        + previous.title() + " ends at " + previousEnd));
            }
            if (end > geometry.usableEndBytes()) {
                long by = end - geometry.usableEndBytes();
                violations.add(new PlanViolation(slot.limits().number(), "new_size_bytes", by, title + " ends "
                        + Bytes.describe(by) + " past the last usable byte of the target disk (it ends at " + end
                        + "; partitions must end by " + geometry.usableEndBytes() + ": "
                        + geometry.usableEndReason() + ")"));
            }
            if (slot.container()) {
                container = slot.limits();
                containerEnd = end;
                ebrFloor = start;
            }
            previousEnd = Math.max(previousEnd, end);
            previous = slot.limits();
        }
        return violations;
    }

    /**
     * A logical partition lies inside its extended partition, with a sector before it for its extended boot record
     * (after the extended partition's start for the first, after the previous logical partition for the others).
     */
    private static void checkLogical(Slot slot, long start, long end, PartitionLimits container, long containerEnd,
            long ebrFloor, DiskGeometry geometry, List<PlanViolation> violations) {
        int number = slot.limits().number();
        String title = slot.limits().title();
        long needed = ebrFloor + geometry.logicalSectorSize();
        if (start < needed) {
            long by = needed - start;
            violations.add(new PlanViolation(number, "new_start_bytes", by, title + " starts at " + start
                    + ", leaving no sector for its extended boot record after byte " + ebrFloor + " (it must start "
                    + "at " + needed + " or later)"));
        }
        if (end > containerEnd) {
            long by = end - containerEnd;
            violations.add(new PlanViolation(number, "new_size_bytes", by, title + " ends " + Bytes.describe(by)
                    + " past the end of " + container.title() + " at " + containerEnd));
        }
    }

    /** An extended partition's start and size follow from its logical partitions: only the action is checked. */
    private static void checkContainer(Slot slot, PartitionPlan entry, List<PlanViolation> violations) {
        PartitionLimits limits = slot.limits();
        PartitionAction expected = LayoutPlanner.action(slot, entry.newSizeBytes());
        if (entry.action() != expected) {
            violations.add(new PlanViolation(limits.number(), "action", null, limits.title() + ": action "
                    + name(entry.action()) + " does not match new size " + Bytes.describe(entry.newSizeBytes())
                    + " (it is " + Bytes.describe(limits.sizeBytes()) + " on the source): the action is "
                    + name(expected)));
        }
        if (slot.keepsStart() && entry.newStartBytes() != limits.startBytes()) {
            long by = Math.abs(entry.newStartBytes() - limits.startBytes());
            violations.add(new PlanViolation(limits.number(), "new_start_bytes", by, limits.title()
                    + " must keep its start " + limits.startBytes() + " (" + slot.startReason() + "); the plan moves "
                    + "it by " + Bytes.describe(by)));
        }
    }

    /** The plan entry of a slot, with the slot's limits and reasons (never a client's). */
    static PartitionPlan entry(CaptureLayout capture, Slot slot, long start, long size, PartitionAction action) {
        PartitionLimits limits = slot.limits();
        if (slot.deleted()) {
            return new PartitionPlan(limits.number(), limits.typeId(), limits.startBytes(), limits.sizeBytes(), 0, 0,
                    limits.minimumSizeBytes(), limits.maximumSizeBytes(), limits.captureSizeBytes(),
                    limits.filesystem(), action, limits.fixedReason());
        }
        String reason = Stream.of(slot.sizeReason(), slot.startReason()).filter(r -> r != null).distinct()
                .collect(Collectors.joining("; "));
        if (slot.container()) {
            // Its size is not a choice but the room its logical partitions take: that is its only allowed size.
            return new PartitionPlan(limits.number(), limits.typeId(), limits.startBytes(), limits.sizeBytes(), start,
                    size, size, size, limits.captureSizeBytes(), limits.filesystem(), action, reason);
        }
        return new PartitionPlan(limits.number(), limits.typeId(), limits.startBytes(), limits.sizeBytes(), start, size,
                slot.minimumSizeBytes(), slot.maximumSizeBytes(), limits.captureSizeBytes(), limits.filesystem(),
                action, reason.isEmpty() ? null : reason);
    }

    private static Map<Integer, PartitionPlan> membership(CaptureLayout capture, List<PartitionPlan> plan,
            List<PlanViolation> violations) {
        String existing = capture.numbers().stream().map(String::valueOf).collect(Collectors.joining(", "));
        Map<Integer, PartitionPlan> byNumber = new HashMap<>();
        Set<Integer> reported = new HashSet<>();
        for (PartitionPlan entry : plan) {
            int number = entry.partition();
            if (capture.partition(number) == null) {
                violations.add(new PlanViolation(number, "partition", null, "partition " + number
                        + " does not exist on the source disk (it has " + existing + ")"));
            } else if (byNumber.putIfAbsent(number, entry) != null && reported.add(number)) {
                violations.add(new PlanViolation(number, "partition", null, "partition " + number
                        + " is listed more than once"));
            }
        }
        for (PartitionLimits limits : capture.partitions()) {
            if (!byNumber.containsKey(limits.number())) {
                violations.add(new PlanViolation(limits.number(), "partition", null, limits.title() + " is missing "
                        + "from the plan: list every source partition, with action delete to drop one"));
            }
        }
        return byNumber;
    }

    private static void checkDeleted(CaptureLayout capture, Slot slot, PartitionPlan entry,
            List<PlanViolation> violations) {
        int number = slot.limits().number();
        if (capture.hasLogicalPartitions() && (slot.limits().logical()
                || slot.limits().kind() == PartitionKind.EXTENDED)) {
            violations.add(new PlanViolation(number, "action", null, slot.limits().title() + " cannot be deleted: "
                    + Slot.LOGICAL_DELETE_REASON));
        }
        if (entry.newSizeBytes() != 0) {
            violations.add(new PlanViolation(number, "new_size_bytes", entry.newSizeBytes(), slot.limits().title()
                    + " is deleted, so its new size must be 0, not " + entry.newSizeBytes()));
        }
    }

    /** Checks what must hold before any arithmetic on the values; false when later checks cannot run. */
    private static boolean checkValues(Slot slot, PartitionPlan entry, DiskGeometry geometry,
            List<PlanViolation> violations) {
        int number = slot.limits().number();
        String title = slot.limits().title();
        int sector = geometry.logicalSectorSize();
        long size = entry.newSizeBytes();
        long start = entry.newStartBytes();
        boolean usable = true;
        if (size <= 0) {
            violations.add(new PlanViolation(number, "new_size_bytes", null, title + ": new size " + size
                    + " must be positive; use action delete to drop the partition"));
            usable = false;
        } else if (size > BEYOND_ANY_DISK) {
            violations.add(new PlanViolation(number, "new_size_bytes", null, title + ": new size " + size
                    + " is beyond any disk"));
            usable = false;
        } else if (size % sector != 0) {
            violations.add(new PlanViolation(number, "new_size_bytes", size % sector, title + ": new size " + size
                    + " is not a whole number of " + sector + "-byte sectors (" + size % sector + " bytes over)"));
        }
        if (start < 0 || start > BEYOND_ANY_DISK) {
            violations.add(new PlanViolation(number, "new_start_bytes", null, title + ": new start " + start
                    + " is not on the target disk of " + Bytes.describe(geometry.diskBytes())));
            usable = false;
        } else if (start % sector != 0) {
            violations.add(new PlanViolation(number, "new_start_bytes", start % sector, title + ": new start " + start
                    + " is not on a " + sector + "-byte sector boundary (" + start % sector + " bytes past one)"));
        }
        return usable;
    }

    private static void checkLimits(CaptureLayout capture, Slot slot, PartitionPlan entry,
            List<PlanViolation> violations) {
        PartitionLimits limits = slot.limits();
        int number = limits.number();
        String title = limits.title();
        long size = entry.newSizeBytes();
        long start = entry.newStartBytes();
        PartitionAction expected = LayoutPlanner.action(slot, size);
        if (entry.action() != expected) {
            violations.add(new PlanViolation(number, "action", null, title + ": action " + name(entry.action())
                    + " does not match new size " + Bytes.describe(size) + " (it is " + Bytes.describe(limits.sizeBytes())
                    + " on the source): the action is " + name(expected)));
        }
        if (size < slot.minimumSizeBytes()) {
            long by = slot.minimumSizeBytes() - size;
            String why = slot.minimumSizeBytes() == limits.minimumSizeBytes() ? limits.minimumReason() : slot.sizeReason();
            violations.add(new PlanViolation(number, "new_size_bytes", by, title + ": new size " + Bytes.describe(size)
                    + " is below its minimum " + Bytes.describe(slot.minimumSizeBytes()) + " by " + Bytes.describe(by)
                    + " (" + why + ")"));
        }
        if (slot.maximumSizeBytes() != null && size > slot.maximumSizeBytes()) {
            long by = size - slot.maximumSizeBytes();
            violations.add(new PlanViolation(number, "new_size_bytes", by, title + ": new size " + Bytes.describe(size)
                    + " is above its maximum " + Bytes.describe(slot.maximumSizeBytes()) + " by " + Bytes.describe(by)
                    + " (" + slot.sizeReason() + ")"));
        }
        long source = limits.startBytes();
        if (slot.keepsStart() && start != source) {
            long by = Math.abs(start - source);
            violations.add(new PlanViolation(number, "new_start_bytes", by, title + " must keep its start " + source
                    + " (" + slot.startReason() + "); the plan moves it by " + Bytes.describe(by)));
        } else if (start != source && start % capture.alignmentBytes() != 0) {
            long by = start % capture.alignmentBytes();
            violations.add(new PlanViolation(number, "new_start_bytes", by, title + ": start " + start
                    + " is neither its source start nor a multiple of " + Bytes.describe(capture.alignmentBytes())
                    + " (it is " + Bytes.describe(by) + " past a boundary)"));
        }
    }

    private static String name(PartitionAction action) {
        return action.name().toLowerCase(Locale.ROOT);
    }
}
