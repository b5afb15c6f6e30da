package io.pureboot.clone.nodeapi;

import com.fasterxml.jackson.annotation.JsonProperty;
import java.util.Locale;

/** The part a node plays: in a session (source or target), or booted only to report its disks. */
public enum NodeRole {
    @JsonProperty("source") SOURCE,
    @JsonProperty("target") TARGET,
    /** Booted only to report its disks; belongs to no session. */
    @JsonProperty("inventory") INVENTORY;

    /** The name on the wire and in tokens and certificates: source, target or inventory. */
    public String jsonName() {
        return name().toLowerCase(Locale.ROOT);
    }
}
