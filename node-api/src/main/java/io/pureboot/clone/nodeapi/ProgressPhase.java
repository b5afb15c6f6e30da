package io.pureboot.clone.nodeapi;

import com.fasterxml.jackson.annotation.JsonProperty;
import java.util.Locale;

/** What an agent is doing, as it reports it every couple of seconds. */
public enum ProgressPhase {
    /** Before the first phase began. */
    @JsonProperty("starting") STARTING(null),
    /** Source with {@code shrink_source} and {@code repair_source}: repairing what the read-only check found. */
    @JsonProperty("repairing_source") REPAIRING_SOURCE(NodeRole.SOURCE),
    /** Source with {@code shrink_source}: checking and shrinking filesystems. */
    @JsonProperty("shrinking") SHRINKING(NodeRole.SOURCE),
    /** Source: writing the image to staging, or serving it to direct targets. */
    @JsonProperty("uploading") UPLOADING(NodeRole.SOURCE),
    /** Source: growing shrunk filesystems back. */
    @JsonProperty("growing_source") GROWING_SOURCE(NodeRole.SOURCE),
    /** Target: restoring the image's data. */
    @JsonProperty("downloading") DOWNLOADING(NodeRole.TARGET),
    /** Target: writing the new partition table. */
    @JsonProperty("partitioning") PARTITIONING(NodeRole.TARGET),
    /** Target: growing or fitting and checking each filesystem. */
    @JsonProperty("resizing") RESIZING(NodeRole.TARGET);

    /** The role that reports this phase; null for every role. */
    private final NodeRole role;

    ProgressPhase(NodeRole role) {
        this.role = role;
    }

    /** Whether a node in this role can be in this phase: a target never uploads, a source never partitions. */
    public boolean isFor(NodeRole nodeRole) {
        return role == null || role == nodeRole;
    }

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
