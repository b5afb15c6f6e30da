package io.pureboot.clone.storage.backend.service;

import io.pureboot.clone.events.storage.BackendType;
import io.pureboot.clone.storage.backend.BackendSnapshot;
import io.pureboot.clone.storage.iscsi.IscsiException;
import io.pureboot.clone.storage.iscsi.IscsiTargetAdmin;
import io.pureboot.clone.storage.iscsi.TargetAdmins;
import io.pureboot.clone.storage.nfs.FsStat;
import io.pureboot.clone.storage.nfs.NfsClients;
import io.pureboot.clone.storage.nfs.NfsException;
import io.pureboot.clone.storage.nfs.NfsExport;
import jakarta.enterprise.context.ApplicationScoped;

/**
 * Measures a backend's space where staging areas will consume it: FSSTAT of the NFS export (the
 * bytes available to the service's user), or df of the iSCSI backing-store directory on the
 * target host. Blocking.
 */
@ApplicationScoped
public class SpaceProbe {

    private final NfsClients nfs;
    private final TargetAdmins iscsi;

    public SpaceProbe(NfsClients nfs, TargetAdmins iscsi) {
        this.nfs = nfs;
        this.iscsi = iscsi;
    }

    /** Bytes of the file system and bytes available, and what measured them. */
    public record Measurement(long totalBytes, long availableBytes, String source) {
    }

    public Measurement measure(BackendSnapshot backend) throws NfsException, IscsiException {
        if (backend.backendType() == BackendType.NFS) {
            try (NfsExport export = nfs.client().open(backend.nfsServer(), backend.nfsExport())) {
                FsStat stat = export.fsstat();
                return new Measurement(stat.totalBytes(), stat.availableBytes(), "nfs_fsstat");
            }
        }
        IscsiTargetAdmin admin = iscsi.forBackend(backend);
        IscsiTargetAdmin.Space space = admin.backingStoreSpace();
        return new Measurement(space.totalBytes(), space.availableBytes(), "backing_store_df");
    }
}
