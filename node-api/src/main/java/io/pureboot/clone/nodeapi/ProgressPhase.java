package io.pureboot.clone.nodeapi;

import com.fasterxml.jackson.annotation.JsonProperty;
import java.util.Locale;

/** What an agent is doing, as it reports it every couple of seconds. */
public enum ProgressPhase {
    /** Before the first phase began. */
    @JsonProperty("starting") STARTING,
    /** Source with {@code shrink_source} and {@code repair_source}: repairing what the read-only check found. */
    @JsonProperty("repairing_source") REPAIRING_SOURCE,
    /** Source with {@code shrink_source}: checking and shrinking filesystems. */
    @JsonProperty("shrinking") SHRINKING,
    /** Source: writing the image to staging, or serving it to direct targets. */
    @JsonProperty("uploading") UPLOADING,
    /** Source: growing shrunk filesystems back. */
    @JsonProperty("growing_source") GROWING_SOURCE,
    /** Target: restoring the image's data. */
    @JsonProperty("downloading") DOWNLOADING,
    /** Target: writing the new partition table. */
    @JsonProperty("partitioning") PARTITIONING,
    /** Target: growing or fitting and checking each filesystem. */
    @JsonProperty("resizing") RESIZING;

    /** The name on the wire, e.g. {@code growing_source}. */
    public String jsonName() {
        return name().toLowerCase(Locale.ROOT);
    }

    /** The phase with this wire name. */
    public static ProgressPhase ofJsonName(String name) {
        for (ProgressPhase phase : values()) {
            if (phase.jsonName().equals(name)) {
                return phase;
            }
        }
        throw new IllegalArgumentException("unknown progress phase '" + name + "'");
    }
}
