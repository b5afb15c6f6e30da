package io.pureboot.clone.planner.plan;

import java.util.List;

/**
 * Where partitions of given sizes start. A partition that moves starts at the earliest place after
 * its predecessor: its own source start when that is still free and before the next alignment
 * boundary (a legacy layout at sector 63 stays put), else the next boundary.
 *
 * <p>MBR logical partitions follow the same rule with one more sector of room before each: the
 * extended boot record (EBR) that links it into the chain. The first logical partition keeps the
 * distance its source had from the extended partition's start (the first EBR lies there), and the
 * extended partition itself is placed from its logical partitions ({@link #container}).
 */
final class Placement {

    private Placement() {
    }

    /**
     * The starts of the slots; 0 for deleted ones. A container's start and size are set by
     * {@link #container} (its entry in {@code sizes} is replaced).
     *
     * @param explicit starts an operator chose (null entries are computed), or null
     * @param sticky true to keep every partition of the unchanged prefix at its source start, so that a
     *     plan that changes nothing moves nothing; false to let every movable partition take the earliest place
     */
    static long[] starts(List<Slot> slots, long[] sizes, Long[] explicit, DiskGeometry geometry, long alignment,
            boolean sticky) {
        long[] starts = new long[slots.size()];
        long previousEnd = geometry.firstUsableBytes();
        boolean unchanged = sticky;
        long pendingHeader = -1;
        boolean containerPinned = false;
        for (int i = 0; i < slots.size(); i++) {
            Slot slot = slots.get(i);
            if (slot.deleted()) {
                unchanged = false;
                continue;
            }
            if (slot.container()) {
                // Room for the first EBR before the first logical partition, as much as the source had.
                pendingHeader = i + 1 < slots.size() ? slots.get(i + 1).sourceStart() - slot.sourceStart()
                        : geometry.logicalSectorSize();
                containerPinned = slot.keepsStart();
                continue;
            }
            long source = slot.sourceStart();
            long floor = previousEnd;
            if (slot.limits().logical()) {
                floor = pendingHeader >= 0 ? saturatedAdd(previousEnd, pendingHeader)
                        : saturatedAdd(previousEnd, geometry.logicalSectorSize());
            }
            long start;
            if (explicit != null && explicit[i] != null) {
                start = explicit[i];
            } else if (slot.keepsStart() || (pendingHeader >= 0 && containerPinned)
                    || (unchanged && source >= floor)) {
                start = source;
            } else if (pendingHeader >= 0) {
                // The first logical partition moves with its header: the extended partition starts where
                // the previous partition allows, the first logical partition the source's distance after it.
                start = saturatedAdd(earliest(source - pendingHeader, previousEnd, alignment), pendingHeader);
            } else {
                start = earliest(source, floor, alignment);
            }
            pendingHeader = -1;
            containerPinned = false;
            unchanged = unchanged && start == source && sizes[i] == slot.currentSize();
            previousEnd = saturatedAdd(start, sizes[i]);
            starts[i] = start;
        }
        container(slots, starts, sizes, geometry);
        return starts;
    }

    /**
     * Places each container around its logical partitions: it starts its source distance before the first
     * one and ends with the last one, or keeps its source extent when that still holds them all, fits the
     * disk and overlaps no partition after it (so that a plan that changes nothing moves nothing).
     */
    static void container(List<Slot> slots, long[] starts, long[] sizes, DiskGeometry geometry) {
        for (int c = 0; c < slots.size(); c++) {
            Slot slot = slots.get(c);
            if (!slot.container() || slot.deleted()) {
                continue;
            }
            int last = c;
            while (last + 1 < slots.size() && slots.get(last + 1).limits().logical()) {
                last++;
            }
            if (last == c) {
                starts[c] = slot.sourceStart();
                sizes[c] = slot.currentSize();
                continue;
            }
            long header = slots.get(c + 1).sourceStart() - slot.sourceStart();
            long start = starts[c + 1] - header;
            long end = saturatedAdd(starts[last], sizes[last]);
            long sourceEnd = slot.limits().endBytes();
            boolean nextFree = last + 1 >= slots.size() || slots.get(last + 1).deleted()
                    || starts[last + 1] >= sourceEnd;
            if (start == slot.sourceStart() && sourceEnd >= end && sourceEnd <= geometry.usableEndBytes() && nextFree) {
                end = sourceEnd;
            }
            starts[c] = start;
            sizes[c] = end - start;
        }
    }

    /** The byte after the last partition, or the first usable byte when nothing is kept. */
    static long end(List<Slot> slots, long[] starts, long[] sizes, DiskGeometry geometry) {
        long end = geometry.firstUsableBytes();
        for (int i = 0; i < slots.size(); i++) {
            if (!slots.get(i).deleted()) {
                end = Math.max(end, saturatedAdd(starts[i], sizes[i]));
            }
        }
        return end;
    }

    static long earliest(long source, long previousEnd, long alignment) {
        long aligned = Bytes.alignUp(previousEnd, alignment);
        return source >= previousEnd && source < aligned ? source : aligned;
    }

    private static long saturatedAdd(long a, long b) {
        long sum = a + b;
        return ((a ^ sum) & (b ^ sum)) < 0 ? Long.MAX_VALUE : sum;
    }
}
