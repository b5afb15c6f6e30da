package io.pureboot.clone.controller.security;

import com.fasterxml.jackson.annotation.JsonProperty;

/** The part a node plays in a session. */
public enum NodeRole {
    @JsonProperty("source") SOURCE,
    @JsonProperty("target") TARGET,
    /** Booted only to report its disks; belongs to no session. */
    @JsonProperty("inventory") INVENTORY
}
