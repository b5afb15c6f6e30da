package io.pureboot.clone.events.storage;

import com.fasterxml.jackson.annotation.JsonProperty;

/** The life of one session's staging area; storage-service guards the transitions. */
public enum StagingStatus {
    @JsonProperty("pending") PENDING,
    @JsonProperty("provisioning") PROVISIONING,
    @JsonProperty("provisioned") PROVISIONED,
    @JsonProperty("uploading") UPLOADING,
    @JsonProperty("ready") READY,
    @JsonProperty("downloading") DOWNLOADING,
    @JsonProperty("cleanup") CLEANUP,
    @JsonProperty("deleted") DELETED,
    @JsonProperty("failed") FAILED
}
