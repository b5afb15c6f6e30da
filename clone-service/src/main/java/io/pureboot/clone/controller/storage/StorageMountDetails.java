package io.pureboot.clone.controller.storage;

/**
 * storage-service's answer for a session's mount details (its {@code MountDetails}, docs/storage.md).
 * Holds the session's CHAP secret: relayed to the node that asked, never stored or logged.
 */
public record StorageMountDetails(String sessionId, String backendType, String role, String status, boolean readOnly,
        String imageDirectory, Nfs nfs, Iscsi iscsi) {

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
