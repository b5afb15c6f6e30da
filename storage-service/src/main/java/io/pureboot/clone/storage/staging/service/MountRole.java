package io.pureboot.clone.storage.staging.service;

import com.fasterxml.jackson.annotation.JsonProperty;

/** Who asks for mount details: the node uploading the image, or a node restoring it. */
public enum MountRole {
    @JsonProperty("source") SOURCE,
    @JsonProperty("target") TARGET
}
