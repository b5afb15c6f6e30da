package io.pureboot.clone.planner.plan;

/**
 * How much room a shrunk filesystem keeps above its minimum: the larger of a share of the minimum
 * and a floor. A filesystem shrunk to its bare minimum cannot take a log line after restore.
 *
 * @param percent share of the filesystem minimum added as margin
 * @param minimumBytes the smallest margin
 */
public record Margins(int percent, long minimumBytes) {

    public static final Margins DEFAULT = new Margins(10, 256 * Bytes.MIB);

    public Margins {
        if (percent < 0 || minimumBytes < 0) {
            throw new IllegalArgumentException("margins must not be negative: " + percent + "%, " + minimumBytes);
        }
    }

    public long marginFor(long filesystemMinimumBytes) {
        return Math.max(minimumBytes, Math.ceilDiv(Bytes.scale(filesystemMinimumBytes, percent, 1), 100));
    }
}
