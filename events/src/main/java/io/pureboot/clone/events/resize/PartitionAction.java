package io.pureboot.clone.events.resize;

import com.fasterxml.jackson.annotation.JsonProperty;

/** What a plan does to one partition. */
public enum PartitionAction {
    @JsonProperty("keep") KEEP,
    @JsonProperty("shrink") SHRINK,
    @JsonProperty("grow") GROW,
    @JsonProperty("delete") DELETE
}
