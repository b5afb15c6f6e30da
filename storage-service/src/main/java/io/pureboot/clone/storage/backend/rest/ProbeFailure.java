package io.pureboot.clone.storage.backend.rest;

import com.fasterxml.jackson.annotation.JsonProperty;
import io.pureboot.clone.storage.iscsi.IscsiFailure;
import io.pureboot.clone.storage.nfs.NfsFailure;

/** What a failed connectivity test or space measurement ran into. */
public enum ProbeFailure {
    /** The host does not resolve or does not answer. */
    @JsonProperty("unreachable") UNREACHABLE,
    /** The host answers but refuses the connection (no rpcbind, no NFS or iSCSI service on the port). */
    @JsonProperty("refused") REFUSED,
    /** A step got no answer in time. */
    @JsonProperty("timeout") TIMEOUT,
    /** The NFS server does not export the path. */
    @JsonProperty("export_missing") EXPORT_MISSING,
    /** The NFS server refuses this client (export rules, privileged port, root squash). */
    @JsonProperty("access_denied") ACCESS_DENIED,
    /** The export mounts but the service may not create directories in it. */
    @JsonProperty("not_writable") NOT_WRITABLE,
    /** The iSCSI target refused the CHAP credentials. */
    @JsonProperty("auth_failed") AUTH_FAILED,
    /** The portal does not offer the configured target. */
    @JsonProperty("target_missing") TARGET_MISSING,
    /** tgtadm, ssh or the backing-store directory on the target host failed. */
    @JsonProperty("management_failed") MANAGEMENT_FAILED,
    /** The server answered something unexpected. */
    @JsonProperty("protocol_error") PROTOCOL_ERROR;

    public static ProbeFailure of(NfsFailure failure) {
        return switch (failure) {
            case UNREACHABLE -> UNREACHABLE;
            case REFUSED -> REFUSED;
            case TIMEOUT -> TIMEOUT;
            case EXPORT_MISSING, NOT_FOUND -> EXPORT_MISSING;
            case ACCESS_DENIED -> ACCESS_DENIED;
            case NO_SPACE -> NOT_WRITABLE;
            case PROTOCOL -> PROTOCOL_ERROR;
        };
    }

    public static ProbeFailure of(IscsiFailure failure) {
        return switch (failure) {
            case UNREACHABLE -> UNREACHABLE;
            case REFUSED -> REFUSED;
            case TIMEOUT -> TIMEOUT;
            case AUTH_FAILED -> AUTH_FAILED;
            case TARGET_MISSING -> TARGET_MISSING;
            case MANAGEMENT_FAILED, NO_SPACE -> MANAGEMENT_FAILED;
            case PROTOCOL -> PROTOCOL_ERROR;
        };
    }
}
