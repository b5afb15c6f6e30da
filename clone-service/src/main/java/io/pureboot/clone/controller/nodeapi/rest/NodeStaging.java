package io.pureboot.clone.controller.nodeapi.rest;

import io.pureboot.clone.controller.storage.StorageMountDetails;

/**
 * How the agent reaches its session's staging directory, in the node API's shape (docs/node-agent.md).
 *
 * @param stagingPath the session's directory relative to the NFS export or to the root of the LUN's filesystem
 * @param readOnly true for targets and once the image is sealed
 */
public record NodeStaging(String backendType, String stagingPath, boolean readOnly, Nfs nfs, Iscsi iscsi) {

    /** Mount {@code server:export} with {@code options}. */
    public record Nfs(String server, String export, String options) {
    }

    /** Log in to {@code target_iqn} on {@code portal} with this session's CHAP credentials; LUN {@code lun} holds ext4. */
    public record Iscsi(String portal, String targetIqn, int lun, String username, String password) {

        @Override
        public String toString() {
            return "Iscsi[portal=" + portal + ", targetIqn=" + targetIqn + ", lun=" + lun + ", password=***]";
        }
    }

    public static NodeStaging of(StorageMountDetails details) {
        if (details.nfs() != null) {
            var nfs = details.nfs();
            return new NodeStaging(details.backendType(), nfs.path(), details.readOnly(),
                    new Nfs(nfs.server(), nfs.export(), nfs.options()), null);
        }
        var iscsi = details.iscsi();
        return new NodeStaging(details.backendType(), details.imageDirectory(), details.readOnly(), null,
                iscsi == null ? null : new Iscsi(iscsi.portal(), iscsi.iqn(), iscsi.lun(), iscsi.username(), iscsi.password()));
    }
}
