package io.pureboot.clone.storage.staging.rest;

import io.pureboot.clone.events.storage.BackendType;
import io.pureboot.clone.events.storage.StagingStatus;
import io.pureboot.clone.storage.staging.service.MountRole;
import io.pureboot.clone.storage.staging.service.StagingService;
import java.util.UUID;

/**
 * How a node reaches its session's staging area. Internal: clone-service relays it to the node
 * over the node API; it never travels on Kafka and is not routed through the public origin.
 *
 * @param readOnly true for targets, and for everyone once the upload is sealed
 * @param imageDirectory where the image's directory lives: on NFS the export-relative path of the
 *     session directory itself; on iSCSI the directory to create (source) or read (targets) at the
 *     root of the LUN's ext4 file system
 */
public record MountDetails(UUID sessionId, BackendType backendType, MountRole role, StagingStatus status,
        boolean readOnly, String imageDirectory, Nfs nfs, Iscsi iscsi) {

    /** An NFSv3 directory: mount {@code server:export} (or {@code server:export/path}) with {@code options}. */
    public record Nfs(String server, String export, String path, String remotePath, String options) {
    }

    /**
     * An iSCSI LUN: log in to {@code iqn} on {@code portal} with this session's CHAP credentials; LUN
     * {@code lun} carries an ext4 file system.
     */
    public record Iscsi(String portal, String iqn, int lun, String username, String password, String filesystem) {

        @Override
        public String toString() {
            return "Iscsi[portal=" + portal + ", iqn=" + iqn + ", lun=" + lun + ", username=" + username
                    + ", password=***]";
        }
    }

    public static MountDetails of(StagingService.MountGrant grant) {
        MountRole role = grant.role();
        var backend = grant.backend();
        if (backend.backendType() == BackendType.NFS) {
            String export = backend.nfsExport().endsWith("/") ? backend.nfsExport() : backend.nfsExport() + "/";
            return new MountDetails(grant.sessionId(), BackendType.NFS, role, grant.status(), grant.readOnly(),
                    grant.stagingPath(), new Nfs(backend.nfsServer(), backend.nfsExport(), grant.stagingPath(),
                            export + grant.stagingPath(), backend.nfsOptions() == null ? "vers=3,proto=tcp"
                            : backend.nfsOptions()), null);
        }
        return new MountDetails(grant.sessionId(), BackendType.ISCSI, role, grant.status(), grant.readOnly(),
                grant.sessionId().toString(), null, new Iscsi(backend.iscsiPortal().toString(), grant.iqn(), grant.lun(),
                        grant.chapUsername(), grant.chapPassword(), "ext4"));
    }
}
