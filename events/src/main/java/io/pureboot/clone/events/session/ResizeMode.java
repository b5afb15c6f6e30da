package io.pureboot.clone.events.session;

import com.fasterxml.jackson.annotation.JsonProperty;

/** What the session does about disks of different sizes. */
public enum ResizeMode {
    /** Partitions are copied as they are; targets must be at least as large as the source's layout. */
    @JsonProperty("none") NONE,
    /** Source filesystems are shrunk for capture (and grown back), so smaller targets fit. */
    @JsonProperty("shrink_source") SHRINK_SOURCE,
    /** Target filesystems are grown into the larger target disk after restore. */
    @JsonProperty("grow_target") GROW_TARGET
}
