package io.pureboot.clone.events.node;

/** The bounds of a reported inventory, one place for the node API, the operator's import and the planner. */
public final class InventoryLimits {

    /** Disks in one report. */
    public static final int MAX_DISKS = 64;
    /** Partitions on one disk. */
    public static final int MAX_PARTITIONS = 256;
    /** The highest partition number (GPT tables may hold more than 128 entries). */
    public static final int MAX_PARTITION_NUMBER = 4096;
    /** 1 EiB: no disk, offset or filesystem size is larger, and sums of a few stay far from overflowing a long. */
    public static final long MAX_BYTES = 1L << 60;

    private InventoryLimits() {
    }
}
