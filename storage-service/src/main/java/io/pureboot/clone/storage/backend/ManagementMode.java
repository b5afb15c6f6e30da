package io.pureboot.clone.storage.backend;

import com.fasterxml.jackson.annotation.JsonProperty;

/** How storage-service manages the iSCSI target of a backend to create per-session targets and LUNs. */
public enum ManagementMode {
    /** tgtadm of a tgtd on the service's own host (the dev stack; a sidecar). */
    @JsonProperty("tgtadm_local") TGTADM_LOCAL,
    /** tgtadm run on the target host over SSH with a key, the host key pinned. */
    @JsonProperty("tgtadm_ssh") TGTADM_SSH
}
