package io.pureboot.clone.agent.staging;

import static java.util.Objects.requireNonNull;

import com.fasterxml.jackson.annotation.JsonProperty;

/**
 * The answer of {@code GET /api/v1/node/staging}: how to reach the session's staging directory.
 *
 * @param backendType nfs or iscsi
 * @param stagingPath the session's directory inside the export or on the LUN's filesystem
 * @param nfs NFS details, or null
 * @param iscsi iSCSI details, or null
 */
public record StagingInfo(BackendType backendType, String stagingPath, Nfs nfs, Iscsi iscsi) {

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
        }

        @Override
        public String toString() {
            return "Iscsi[portal=" + portal + ", targetIqn=" + targetIqn + ", lun=" + lun + ", username=" + username
                    + ", password=***]";
        }
    }

    public StagingInfo {
        requireNonNull(backendType, "backend_type is null");
        requireNonNull(stagingPath, "staging_path is null");
        if (stagingPath.isBlank() || stagingPath.contains("..") || stagingPath.startsWith("/")) {
            throw new IllegalArgumentException("staging_path must be a relative directory name: '" + stagingPath + "'");
        }
        if (backendType == BackendType.NFS && nfs == null) {
            throw new IllegalArgumentException("backend_type nfs needs nfs details");
        }
        if (backendType == BackendType.ISCSI && iscsi == null) {
            throw new IllegalArgumentException("backend_type iscsi needs iscsi details");
        }
    }
}
