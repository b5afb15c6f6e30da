package io.pureboot.clone.planner.plan;

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

/** Turns an operator's edit into a plan, with every rule it breaks. */
public final class PlanEditor {

    private PlanEditor() {
    }

    public static ResizePlan apply(CaptureLayout capture, TargetDisk target, List<PartitionEdit> edits) {
        List<PlanViolation> problems = new ArrayList<>();
        String existing = capture.numbers().stream().map(String::valueOf).collect(Collectors.joining(", "));
        Map<Integer, PartitionEdit> byNumber = new HashMap<>();
        Set<Integer> duplicates = new HashSet<>();
        for (PartitionEdit edit : edits) {
            if (capture.partition(edit.partition()) == null) {
                problems.add(new PlanViolation(edit.partition(), "partition", null, "partition " + edit.partition()
                        + " does not exist on the source disk (it has " + existing + ")"));
            } else if (byNumber.putIfAbsent(edit.partition(), edit) != null && duplicates.add(edit.partition())) {
                problems.add(new PlanViolation(edit.partition(), "partition", null, "partition " + edit.partition()
                        + " is listed more than once"));
            }
        }
        Set<Integer> deleted = byNumber.values().stream().filter(e -> e.action() == PartitionAction.DELETE)
                .map(PartitionEdit::partition).collect(Collectors.toSet());
        List<Slot> slots = Slot.of(capture, deleted);
        DiskGeometry geometry = DiskGeometry.of(capture.tableType(), target.sizeBytes(), target.logicalSectorSize());
        long[] sizes = new long[slots.size()];
        Long[] starts = new Long[slots.size()];
        PartitionAction[] actions = new PartitionAction[slots.size()];
        for (int i = 0; i < slots.size(); i++) {
            Slot slot = slots.get(i);
            PartitionEdit edit = byNumber.get(slot.limits().number());
            if (edit == null) {
                problems.add(new PlanViolation(slot.limits().number(), "partition", null, slot.limits().title()
                        + " is missing from the plan: list every source partition, with action delete to drop one"));
                sizes[i] = slot.currentSize();
                actions[i] = PartitionAction.KEEP;
                continue;
            }
            if (slot.deleted()) {
                actions[i] = PartitionAction.DELETE;
                continue;
            }
            sizes[i] = size(slot, edit, problems);
            actions[i] = edit.action() == null ? LayoutPlanner.action(slot, sizes[i]) : edit.action();
            starts[i] = edit.newStartBytes();
        }
        long[] placed = Placement.starts(slots, sizes, starts, geometry, capture.alignmentBytes(), true);
        for (int i = 0; i < slots.size(); i++) {
            if (slots.get(i).container() && !slots.get(i).deleted()) {
                // An extended partition is placed around its logical partitions, whatever the edit said.
                actions[i] = LayoutPlanner.action(slots.get(i), sizes[i]);
            }
        }
        List<PartitionPlan> partitions = new ArrayList<>();
        for (int i = 0; i < slots.size(); i++) {
            partitions.add(PlanValidator.entry(capture, slots.get(i), placed[i], sizes[i], actions[i]));
        }
        return PlanValidator.finish(capture, target, partitions, problems, null);
    }

    private static long size(Slot slot, PartitionEdit edit, List<PlanViolation> problems) {
        if (edit.newSizeBytes() != null) {
            return edit.newSizeBytes();
        }
        if (edit.action() == PartitionAction.SHRINK || edit.action() == PartitionAction.GROW) {
            problems.add(new PlanViolation(slot.limits().number(), "new_size_bytes", null, slot.limits().title()
                    + ": action " + edit.action().name().toLowerCase(Locale.ROOT)
                    + " needs new_size_bytes"));
        }
        return slot.currentSize();
    }
}
