package io.pureboot.clone.storage.staging.service;

/**
 * What a provisioning created. For NFS only {@code stagingPath}; for iSCSI the target, its LUN and
 * backing file, and the session's CHAP credentials. {@link #toString()} hides the password.
 */
public record ProvisionedArea(String stagingPath, Integer tid, String iqn, Integer lun, String backingFile,
        String chapUsername, String chapPassword) {

    public static ProvisionedArea nfs(String path) {
        return new ProvisionedArea(path, null, null, null, null, null, null);
    }

    @Override
    public String toString() {
        return "ProvisionedArea[stagingPath=" + stagingPath + ", tid=" + tid + ", iqn=" + iqn + ", lun=" + lun
                + ", backingFile=" + backingFile + ", chapUsername=" + chapUsername + ", chapPassword="
                + (chapPassword == null ? "null" : "***") + "]";
    }
}
