package io.pureboot.clone.agent.image;

import com.fasterxml.jackson.annotation.JsonProperty;

/** What a chunk of the image holds. */
public enum ChunkKind {
    /** Bytes read from the disk that are not all zero. */
    @JsonProperty("data") DATA,
    /** Bytes read from the disk that turned out all zero; the target must read zeros there. */
    @JsonProperty("zero") ZERO,
    /** Never read: the filesystem says the range is free (or it lies past the filesystem); stored as zeros. */
    @JsonProperty("unused") UNUSED
}
