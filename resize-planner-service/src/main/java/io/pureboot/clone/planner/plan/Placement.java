package io.pureboot.clone.planner.plan;

import java.util.List;

/**
 * Where partitions of given sizes start. A partition that moves starts at the earliest place after
 * its predecessor: its own source start when that is still free and before the next alignment
 * boundary (a legacy layout at sector 63 stays put), else the next boundary.
 */
final class Placement {

    private Placement() {
    }

    /**
     * The starts of the slots; 0 for deleted ones.
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
        for (int i = 0; i < slots.size(); i++) {
            Slot slot = slots.get(i);
            if (slot.deleted()) {
                unchanged = false;
                continue;
            }
            long source = slot.sourceStart();
            long start;
            if (explicit != null && explicit[i] != null) {
                start = explicit[i];
            } else if (slot.keepsStart() || (unchanged && source >= previousEnd)) {
                start = source;
            } else {
                start = earliest(source, previousEnd, alignment);
            }
            unchanged = unchanged && start == source && sizes[i] == slot.currentSize();
            previousEnd = saturatedAdd(start, sizes[i]);
            starts[i] = start;
        }
        return starts;
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
