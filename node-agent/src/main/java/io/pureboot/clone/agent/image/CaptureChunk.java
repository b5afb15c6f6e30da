package io.pureboot.clone.agent.image;

import static java.util.Objects.requireNonNull;

import io.pureboot.clone.agent.fs.ExtentMap;
import java.util.Arrays;

/**
 * One chunk and what to read of it: nothing (free per the filesystem), the used ranges, or everything (no map: read
 * and detect zeros). Ranges are relative to the chunk's first byte.
 */
public record CaptureChunk(ChunkSpec spec, Mode mode, int[] rangeStarts, int[] rangeEnds) {

    /** How a chunk is read. */
    public enum Mode {
        /** Not read; stored as zeros. */
        SKIP,
        /** Only the ranges are read; the rest is zeros. */
        RANGES,
        /** Everything is read (unknown content). */
        ALL
    }

    public CaptureChunk {
        requireNonNull(spec, "spec is null");
        requireNonNull(mode, "mode is null");
        rangeStarts = rangeStarts.clone();
        rangeEnds = rangeEnds.clone();
    }

    public static CaptureChunk all(ChunkSpec spec) {
        return new CaptureChunk(spec, Mode.ALL, new int[] {0}, new int[] {spec.length()});
    }

    public static CaptureChunk skip(ChunkSpec spec) {
        return new CaptureChunk(spec, Mode.SKIP, new int[0], new int[0]);
    }

    /** The chunk read according to {@code used} (ranges relative to the partition start). */
    public static CaptureChunk fromMap(ChunkSpec spec, ExtentMap used) {
        long from = spec.relativeOffset();
        long to = from + spec.length();
        int index = used.firstEndingAfter(from);
        int[] starts = new int[4];
        int[] ends = new int[4];
        int count = 0;
        for (; index < used.rangeCount() && used.start(index) < to; index++) {
            if (count == starts.length) {
                starts = Arrays.copyOf(starts, count * 2);
                ends = Arrays.copyOf(ends, count * 2);
            }
            starts[count] = (int) (Math.max(used.start(index), from) - from);
            ends[count] = (int) (Math.min(used.end(index), to) - from);
            count++;
        }
        if (count == 0) {
            return skip(spec);
        }
        return new CaptureChunk(spec, Mode.RANGES, Arrays.copyOf(starts, count), Arrays.copyOf(ends, count));
    }

    public int rangeCount() {
        return rangeStarts.length;
    }

    /** Bytes that will be read from the disk. */
    public long bytesToRead() {
        long total = 0;
        for (int i = 0; i < rangeStarts.length; i++) {
            total += rangeEnds[i] - rangeStarts[i];
        }
        return total;
    }

    @Override
    public boolean equals(Object other) {
        return other instanceof CaptureChunk that && spec.equals(that.spec) && mode == that.mode
                && Arrays.equals(rangeStarts, that.rangeStarts) && Arrays.equals(rangeEnds, that.rangeEnds);
    }

    @Override
    public int hashCode() {
        return 31 * (31 * spec.hashCode() + mode.hashCode()) + Arrays.hashCode(rangeStarts) * 17
                + Arrays.hashCode(rangeEnds);
    }

    @Override
    public String toString() {
        return "CaptureChunk[" + spec + ", " + mode + ", " + rangeStarts.length + " ranges]";
    }
}
