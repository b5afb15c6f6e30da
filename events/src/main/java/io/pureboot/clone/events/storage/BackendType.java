package io.pureboot.clone.events.storage;

import com.fasterxml.jackson.annotation.JsonProperty;

/** The kinds of staging storage. */
public enum BackendType {
    @JsonProperty("nfs") NFS,
    @JsonProperty("iscsi") ISCSI
}
