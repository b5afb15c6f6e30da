package io.pureboot.clone.controller.storage;

import io.pureboot.clone.nodeapi.StagingGrant;

/**
 * storage-service's answer for a session's mount details (its {@code MountDetails}, docs/storage.md).
 * Holds the session's CHAP secret: relayed to the node that asked, never stored or logged.
 */
public record StorageMountDetails(String sessionId, String backendType, String role, String status, boolean readOnly,
        String imageDirectory, Nfs nfs, Iscsi iscsi) {

    /** The node API's shape of these details: the session directory and how to reach it, nothing else. */
    public StagingGrant toGrant() {
        if (nfs != null) {
            return new StagingGrant(StagingGrant.BackendType.NFS, nfs.path(), readOnly,
                    new StagingGrant.Nfs(nfs.server(), nfs.export(), nfs.options()), null);
        }
        if (iscsi != null) {
            return new StagingGrant(StagingGrant.BackendType.ISCSI, imageDirectory, readOnly, null,
                    new StagingGrant.Iscsi(iscsi.portal(), iscsi.iqn(), iscsi.lun(), iscsi.username(), iscsi.password()));
        }
        throw new IllegalStateException("storage-service sent " + backendType + " mount details without nfs or iscsi");
    }

    /** An NFSv3 directory: {@code path} is the session directory relative to {@code export}. */
    public record Nfs(String server, String export, String path, String remotePath, String options) {
    }

    /** An iSCSI LUN with an ext4 filesystem holding {@code image_directory}. */
    public record Iscsi(String portal, String iqn, int lun, String username, String password, String filesystem) {

        @Override
        public String toString() {
            return "Iscsi[portal=" + portal + ", iqn=" + iqn + ", lun=" + lun + ", username=" + username + ", password=***]";
        }
    }
}
