package io.pureboot.clone.events.node;

import com.fasterxml.jackson.annotation.JsonProperty;

/** How a disk is partitioned. */
public enum PartitionTableType {
    @JsonProperty("gpt") GPT,
    @JsonProperty("mbr") MBR,
    /** No partition table: the whole disk is one filesystem or empty. */
    @JsonProperty("none") NONE
}
