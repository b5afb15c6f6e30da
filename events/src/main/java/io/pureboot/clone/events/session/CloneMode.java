package io.pureboot.clone.events.session;

import com.fasterxml.jackson.annotation.JsonProperty;

/** How the image travels from source to targets. */
public enum CloneMode {
    /** Through staging storage (NFS export or iSCSI LUN); targets may run later. */
    @JsonProperty("staged") STAGED,
    /** Streamed from source to targets over mutually authenticated TLS. */
    @JsonProperty("direct") DIRECT
}
