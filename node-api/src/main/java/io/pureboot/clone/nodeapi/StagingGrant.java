package io.pureboot.clone.nodeapi;

import static java.util.Objects.requireNonNull;

import com.fasterxml.jackson.annotation.JsonProperty;

/**
 * {@code POST /api/v1/node/staging}: how this node reaches its session's staging directory. Asking grants the
 * mount: a source's moves the staging area to uploading, a target's to downloading (read-only).
 *
 * @param stagingPath the session's directory relative to the NFS export or to the root of the LUN's filesystem
 * @param readOnly true for targets and once the image is sealed
 * @param nfs NFS details, present exactly for backend_type nfs
 * @param iscsi iSCSI details, present exactly for backend_type iscsi
 */
public record StagingGrant(BackendType backendType, String stagingPath, boolean readOnly, Nfs nfs, Iscsi iscsi) {

    /** The kind of staging storage. */
    public enum BackendType {
        @JsonProperty("nfs") NFS,
        @JsonProperty("iscsi") ISCSI
    }

    /** An NFS export: {@code mount -t nfs -o <options> <server>:<export>}. */
    public record Nfs(String server, String export, String options) {
        public Nfs {
            requireNonNull(server, "nfs.server is null");
            requireNonNull(export, "nfs.export is null");
        }
    }

    /** An iSCSI LUN carrying an ext4 filesystem, reached with CHAP when a username is given. */
    public record Iscsi(String portal, String targetIqn, int lun, String username, String password) {
        public Iscsi {
            requireNonNull(portal, "iscsi.portal is null");
            requireNonNull(targetIqn, "iscsi.target_iqn is null");
            if (lun < 0) {
                throw new IllegalArgumentException("iscsi.lun is negative: " + lun);
            }
        }

        @Override
        public String toString() {
            return "Iscsi[portal=" + portal + ", targetIqn=" + targetIqn + ", lun=" + lun + ", username=" + username
                    + ", password=***]";
        }
    }

    public StagingGrant {
        requireNonNull(backendType, "backend_type is null");
        requireNonNull(stagingPath, "staging_path is null");
        if (stagingPath.isBlank() || stagingPath.contains("..") || stagingPath.startsWith("/")) {
            throw new IllegalArgumentException("staging_path must be a relative directory name: '" + stagingPath + "'");
        }
        if ((backendType == BackendType.NFS) != (nfs != null)) {
            throw new IllegalArgumentException("nfs details must be given exactly for backend_type nfs");
        }
        if ((backendType == BackendType.ISCSI) != (iscsi != null)) {
            throw new IllegalArgumentException("iscsi details must be given exactly for backend_type iscsi");
        }
    }
}
