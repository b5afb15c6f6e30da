package io.pureboot.clone.agent.bench;

/**
 * What one agent step (a capture or a restore) cannot beat on the machine the benchmark runs on, in seconds.
 *
 * @param disk the bytes it moves at the disk's measured sequential rate: the physical limit
 * @param cpu its hashing and (de)compression alone on all cores ({@link CpuFloor})
 * @param machine the CPU work and the disk's own CPU work (what the same I/O took the machine when dd did it: on
 *     loop devices the kernel's copies) shared by the same cores, and never less than {@code disk}: where both halves
 *     compete for the cores, neither limit alone can be reached
 */
record Limits(double disk, double cpu, double machine) {

    /** For the reference tools, which are measured without limits. */
    static final Limits NONE = new Limits(0, 0, 0);

    static Limits of(double diskSeconds, double cpuSeconds, double diskCpuSeconds, int cores) {
        return new Limits(diskSeconds, cpuSeconds, Math.max(diskSeconds, cpuSeconds + diskCpuSeconds / cores));
    }

    boolean measured() {
        return disk > 0;
    }
}
