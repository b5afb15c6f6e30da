package io.pureboot.clone.storage.backend;

import io.pureboot.clone.events.storage.BackendType;
import io.pureboot.clone.storage.iscsi.ChapCredentials;
import io.pureboot.clone.storage.iscsi.Portal;
import java.util.UUID;

/**
 * An immutable copy of a backend with its secrets opened, for the blocking work done off the
 * event loop (connectivity tests, provisioning, cleanup). Lives only in memory; {@link #toString()}
 * shows no secret.
 */
public record BackendSnapshot(
        UUID id,
        String name,
        BackendType backendType,
        boolean enabled,
        String nfsServer,
        String nfsExport,
        String nfsOptions,
        String iscsiTarget,
        Portal iscsiPortal,
        ChapCredentials iscsiCredentials,
        Management management) {

    /** The target-management settings of an iSCSI backend. */
    public record Management(ManagementMode mode, int controlPort, String backingStoreDir, String sshHost,
            int sshPort, String sshUser, String sshPrivateKey, String sshHostKey) {

        @Override
        public String toString() {
            return "Management[mode=" + mode + ", controlPort=" + controlPort + ", backingStoreDir=" + backingStoreDir
                    + ", sshHost=" + sshHost + ", sshPort=" + sshPort + ", sshUser=" + sshUser + ", sshPrivateKey="
                    + (sshPrivateKey == null ? "null" : "***") + "]";
        }
    }

    @Override
    public String toString() {
        return "BackendSnapshot[id=" + id + ", name=" + name + ", backendType=" + backendType + ", nfsServer="
                + nfsServer + ", nfsExport=" + nfsExport + ", iscsiTarget=" + iscsiTarget + ", iscsiPortal="
                + iscsiPortal + ", iscsiCredentials=" + iscsiCredentials + ", management=" + management + "]";
    }
}
