package io.pureboot.clone.storage.staging.service;

import io.pureboot.clone.events.storage.BackendType;
import io.pureboot.clone.storage.backend.BackendSnapshot;
import io.pureboot.clone.storage.config.StorageConfig;
import io.pureboot.clone.storage.iscsi.IscsiException;
import io.pureboot.clone.storage.iscsi.IscsiFailure;
import io.pureboot.clone.storage.iscsi.IscsiTargetAdmin;
import io.pureboot.clone.storage.iscsi.TargetAdmins;
import io.pureboot.clone.storage.nfs.FsStat;
import io.pureboot.clone.storage.nfs.NfsClients;
import io.pureboot.clone.storage.nfs.NfsException;
import io.pureboot.clone.storage.nfs.NfsExport;
import io.pureboot.clone.storage.nfs.NfsFailure;
import io.pureboot.clone.storage.staging.StagingNames;
import jakarta.enterprise.context.ApplicationScoped;
import java.io.IOException;
import java.security.SecureRandom;
import java.util.EnumSet;
import java.util.Set;
import java.util.UUID;
import org.jboss.logging.Logger;

/**
 * Creates, seals and removes staging areas on the storage servers themselves. Blocking: runs on a
 * worker thread, never inside a transaction. Every method is safe to run again after a crash.
 */
@ApplicationScoped
public class StagingProvisioner {

    private static final Logger LOG = Logger.getLogger(StagingProvisioner.class);
    private static final String PASSWORD_ALPHABET = "ABCDEFGHJKLMNPQRSTUVWXYZabcdefghijkmnopqrstuvwxyz23456789";
    private static final int PASSWORD_LENGTH = 16;
    private static final Set<NfsFailure> NFS_PERMANENT = EnumSet.of(NfsFailure.EXPORT_MISSING, NfsFailure.ACCESS_DENIED,
            NfsFailure.NO_SPACE, NfsFailure.NOT_FOUND);
    private static final Set<IscsiFailure> ISCSI_PERMANENT = EnumSet.of(IscsiFailure.NO_SPACE);

    private final NfsClients nfs;
    private final TargetAdmins iscsi;
    private final StorageConfig config;
    private final SecureRandom random = new SecureRandom();

    public StagingProvisioner(NfsClients nfs, TargetAdmins iscsi, StorageConfig config) {
        this.nfs = nfs;
        this.iscsi = iscsi;
        this.config = config;
    }

    /** Creates the area; throws {@link StagingRefusedException} when retrying cannot help. */
    public ProvisionedArea provision(StagingJob job) throws IOException, StagingRefusedException {
        try {
            return job.backend().backendType() == BackendType.NFS ? provisionNfs(job) : provisionIscsi(job);
        } catch (NfsException e) {
            if (NFS_PERMANENT.contains(e.failure())) {
                throw new StagingRefusedException(e.getMessage(), e);
            }
            throw e;
        } catch (IscsiException e) {
            if (ISCSI_PERMANENT.contains(e.failure())) {
                throw new StagingRefusedException(e.getMessage(), e);
            }
            throw e;
        }
    }

    /** The upload is done: the LUN becomes read-only for the targets. NFS areas need nothing here. */
    public void seal(StagingJob job) throws IOException {
        if (job.backend().backendType() == BackendType.NFS) {
            return;
        }
        IscsiTargetAdmin admin = iscsi.forBackend(job.backend());
        String iqn = iqn(job.sessionId());
        IscsiTargetAdmin.TargetInfo target = admin.target(iqn).orElseThrow(() -> new IscsiException(
                IscsiFailure.TARGET_MISSING, "target " + iqn + " is gone from " + admin.where()
                        + " (was tgtd restarted?); the uploaded image is unreachable"));
        admin.setReadOnly(target.tid(), StagingNames.LUN);
        LOG.infof("LUN %d of %s is read-only now", StagingNames.LUN, iqn);
    }

    /** Removes whatever of the area exists: the directory tree, or the target, account and backing file. */
    public void cleanup(StagingJob job) throws IOException {
        BackendSnapshot backend = job.backend();
        if (backend.backendType() == BackendType.NFS) {
            try (NfsExport export = nfs.client().open(backend.nfsServer(), backend.nfsExport())) {
                boolean removed = export.removePath(StagingNames.nfsPath(job.sessionId()));
                LOG.infof("staging directory of session %s on %s:%s %s", job.sessionId(), backend.nfsServer(),
                        backend.nfsExport(), removed ? "removed" : "was already gone");
            }
            return;
        }
        IscsiTargetAdmin admin = iscsi.forBackend(backend);
        admin.deleteTarget(iqn(job.sessionId()), StagingNames.chapUser(job.sessionId()));
        admin.deleteBackingFile(StagingNames.backingFile(backend.management().backingStoreDir(), job.sessionId()));
        LOG.infof("staging target, account and LUN file of session %s removed from %s", job.sessionId(), admin.where());
    }

    private ProvisionedArea provisionNfs(StagingJob job) throws NfsException, StagingRefusedException {
        BackendSnapshot backend = job.backend();
        try (NfsExport export = nfs.client().open(backend.nfsServer(), backend.nfsExport())) {
            String path = StagingNames.nfsPath(job.sessionId());
            if (export.resolve(path).isEmpty()) {
                FsStat stat = export.fsstat();
                requireSpace(backend, job, job.sizeBytes(), stat.availableBytes(), "FSSTAT of the export");
            }
            export.mkdirs(path, nfs.directoryMode());
            LOG.infof("staging directory %s created on %s:%s for session %s", path, backend.nfsServer(),
                    backend.nfsExport(), job.sessionId());
            return ProvisionedArea.nfs(path);
        }
    }

    private ProvisionedArea provisionIscsi(StagingJob job) throws IscsiException, StagingRefusedException {
        BackendSnapshot backend = job.backend();
        IscsiTargetAdmin admin = iscsi.forBackend(backend);
        String iqn = iqn(job.sessionId());
        String username = StagingNames.chapUser(job.sessionId());
        String file = StagingNames.backingFile(backend.management().backingStoreDir(), job.sessionId());
        // Start from nothing: an earlier, interrupted attempt may have left a target or a file behind.
        admin.deleteTarget(iqn, username);
        admin.deleteBackingFile(file);
        IscsiTargetAdmin.Space space = admin.backingStoreSpace();
        requireSpace(backend, job, job.lunSizeBytes(), space.availableBytes(), "df of the backing-store directory");
        String password = password();
        try {
            admin.createBackingFile(file, job.lunSizeBytes());
            int tid = admin.createTarget(iqn, StagingNames.LUN, file, username, password);
            LOG.infof("staging target %s (tid %d) with a %d-byte ext4 LUN created on %s for session %s", iqn, tid,
                    job.lunSizeBytes(), admin.where(), job.sessionId());
            return new ProvisionedArea(iqn + "/" + StagingNames.LUN, tid, iqn, StagingNames.LUN, file, username, password);
        } catch (IscsiException e) {
            rollback(admin, iqn, username, file);
            throw e;
        }
    }

    private void requireSpace(BackendSnapshot backend, StagingJob job, long needed, long available, String measured)
            throws StagingRefusedException {
        long free = available - job.reservedBytes();
        if (free < needed) {
            throw new StagingRefusedException("storage backend " + backend.name() + " lacks space for session "
                    + job.sessionId() + ": it needs " + needed + " bytes, " + available + " are available (" + measured
                    + ") and " + job.reservedBytes() + " of them are promised to other staging areas");
        }
    }

    private static void rollback(IscsiTargetAdmin admin, String iqn, String username, String file) {
        try {
            admin.deleteTarget(iqn, username);
            admin.deleteBackingFile(file);
        } catch (IscsiException e) {
            LOG.warnf("could not roll back the partial staging target %s: %s (cleanup will retry)", iqn, e.getMessage());
        }
    }

    private String iqn(UUID sessionId) {
        return StagingNames.iqn(config.iscsi().stagingIqnPrefix(), sessionId);
    }

    private String password() {
        StringBuilder password = new StringBuilder(PASSWORD_LENGTH);
        for (int i = 0; i < PASSWORD_LENGTH; i++) {
            password.append(PASSWORD_ALPHABET.charAt(random.nextInt(PASSWORD_ALPHABET.length())));
        }
        return password.toString();
    }
}
