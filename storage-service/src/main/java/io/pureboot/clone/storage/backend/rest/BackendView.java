package io.pureboot.clone.storage.backend.rest;

import io.pureboot.clone.events.storage.BackendType;
import io.pureboot.clone.storage.backend.ManagementMode;
import io.pureboot.clone.storage.backend.StorageBackend;
import java.time.OffsetDateTime;
import java.util.UUID;

/**
 * A storage backend as the API shows it. Secrets are never shown: {@code has_password} and
 * {@code has_ssh_private_key} say whether one is stored.
 *
 * @param totalBytes size last measured (NFS FSSTAT, or the file system of the iSCSI backing store)
 * @param availableBytes space available to the service when last measured
 */
public record BackendView(
        UUID id,
        String name,
        BackendType backendType,
        boolean enabled,
        String nfsServer,
        String nfsExport,
        String nfsOptions,
        String iscsiTarget,
        String iscsiPortal,
        String iscsiUsername,
        boolean hasPassword,
        ManagementView iscsiManagement,
        Long totalBytes,
        Long availableBytes,
        OffsetDateTime spaceMeasuredAt,
        OffsetDateTime createdAt,
        OffsetDateTime updatedAt) {

    /** The management settings of an iSCSI backend, without the private key. */
    public record ManagementView(ManagementMode mode, int controlPort, String backingStoreDir, String sshHost,
            Integer sshPort, String sshUser, boolean hasSshPrivateKey, String sshHostKey) {
    }

    public static BackendView of(StorageBackend backend) {
        ManagementView management = backend.managementMode == null ? null : new ManagementView(backend.managementMode,
                backend.managementControlPort == null ? 0 : backend.managementControlPort,
                backend.managementBackingStoreDir, backend.managementSshHost, backend.managementSshPort,
                backend.managementSshUser, backend.managementSshPrivateKey != null, backend.managementSshHostKey);
        return new BackendView(backend.id, backend.name, backend.backendType, backend.enabled, backend.nfsServer,
                backend.nfsExport, backend.nfsOptions, backend.iscsiTarget, backend.iscsiPortal, backend.iscsiUsername,
                backend.iscsiPassword != null, management, backend.totalBytes, backend.availableBytes,
                backend.spaceMeasuredAt, backend.createdAt, backend.updatedAt);
    }
}
