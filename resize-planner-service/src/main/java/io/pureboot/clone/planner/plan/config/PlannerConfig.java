package io.pureboot.clone.planner.plan.config;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;

/** How plans are computed. */
@ConfigMapping(prefix = "pureboot.planner")
public interface PlannerConfig {

    /** Starts that move, and sizes that shrink, are multiples of this; 1 MiB suits every disk and SSD erase block. */
    @WithDefault("1048576")
    long alignmentBytes();

    /** The margin a filesystem shrunk for capture keeps above its minimum, as a share of the minimum. */
    @WithDefault("10")
    int marginPercent();

    /** The smallest such margin in bytes, so that small filesystems keep room too. */
    @WithDefault("268435456")
    long marginMinimumBytes();
}
