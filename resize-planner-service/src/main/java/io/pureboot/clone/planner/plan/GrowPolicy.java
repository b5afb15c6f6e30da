package io.pureboot.clone.planner.plan;

import com.fasterxml.jackson.annotation.JsonProperty;

/** How a computed plan uses a target that is larger than the source. */
public enum GrowPolicy {
    /**
     * Clonezilla's {@code -k1}: every partition that may grow grows by its share of the source disk
     * times the extra capacity, so a disk twice the size doubles them and the free space.
     */
    @JsonProperty("proportional") PROPORTIONAL,
    /**
     * growpart's behaviour: one chosen partition takes all the room the others leave; it is also the
     * first to give room back when the target is smaller.
     */
    @JsonProperty("one_partition") ONE_PARTITION
}
