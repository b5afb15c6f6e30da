package io.pureboot.clone.agent.fs;

import java.util.Arrays;

/**
 * Sorted, non-overlapping byte ranges {@code [start, end)} relative to the start of a partition: the parts that hold
 * data. Built by appending ranges in ascending order (adjacent ranges merge), then queried per chunk.
 */
public final class ExtentMap {

    private long[] starts = new long[64];
    private long[] ends = new long[64];
    private int count;

    /** Appends a used range; ranges must come in ascending order of start (overlaps with the last one merge). */
    public ExtentMap add(long start, long length) {
        if (length <= 0) {
            return this;
        }
        long end = start + length;
        if (count > 0 && start < starts[count - 1]) {
            throw new IllegalArgumentException("ranges must be added in order: " + start + " after "
                    + starts[count - 1]);
        }
        if (count > 0 && start <= ends[count - 1]) {
            ends[count - 1] = Math.max(ends[count - 1], end);
            return this;
        }
        if (count == starts.length) {
            starts = Arrays.copyOf(starts, count * 2);
            ends = Arrays.copyOf(ends, count * 2);
        }
        starts[count] = start;
        ends[count] = end;
        count++;
        return this;
    }

    public int rangeCount() {
        return count;
    }

    public long start(int index) {
        return starts[index];
    }

    public long end(int index) {
        return ends[index];
    }

    /** Total bytes covered. */
    public long usedBytes() {
        long total = 0;
        for (int i = 0; i < count; i++) {
            total += ends[i] - starts[i];
        }
        return total;
    }

    /** The end of the last range, 0 when empty. */
    public long lastEnd() {
        return count == 0 ? 0 : ends[count - 1];
    }

    /** The index of the first range that ends after {@code offset}; {@link #rangeCount()} when none does. */
    public int firstEndingAfter(long offset) {
        int low = 0;
        int high = count;
        while (low < high) {
            int middle = (low + high) >>> 1;
            if (ends[middle] <= offset) {
                low = middle + 1;
            } else {
                high = middle;
            }
        }
        return low;
    }

    /** A copy holding only the parts below {@code limit}. */
    public ExtentMap clippedTo(long limit) {
        ExtentMap clipped = new ExtentMap();
        for (int i = 0; i < count && starts[i] < limit; i++) {
            clipped.add(starts[i], Math.min(ends[i], limit) - starts[i]);
        }
        return clipped;
    }

    /** Whether any byte of {@code [from, to)} is used. */
    public boolean intersects(long from, long to) {
        int index = firstEndingAfter(from);
        return index < count && starts[index] < to;
    }
}
