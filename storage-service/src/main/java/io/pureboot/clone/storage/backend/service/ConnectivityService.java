package io.pureboot.clone.storage.backend.service;

import io.pureboot.clone.events.storage.BackendType;
import io.pureboot.clone.storage.backend.BackendSnapshot;
import io.pureboot.clone.storage.backend.rest.ConnectivityResult;
import io.pureboot.clone.storage.backend.rest.ConnectivityResult.Check;
import io.pureboot.clone.storage.backend.rest.ConnectivityResult.LunView;
import io.pureboot.clone.storage.backend.rest.ProbeFailure;
import io.pureboot.clone.storage.backend.rest.SpaceView;
import io.pureboot.clone.storage.config.StorageConfig;
import io.pureboot.clone.storage.iscsi.IscsiException;
import io.pureboot.clone.storage.iscsi.IscsiInitiator;
import io.pureboot.clone.storage.iscsi.IscsiTargetAdmin;
import io.pureboot.clone.storage.iscsi.TargetAdmins;
import io.pureboot.clone.storage.nfs.FsStat;
import io.pureboot.clone.storage.nfs.NfsClients;
import io.pureboot.clone.storage.nfs.NfsException;
import io.pureboot.clone.storage.nfs.NfsExport;
import io.pureboot.clone.storage.staging.service.StagingQueries;
import io.pureboot.clone.storage.support.Offload;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.Duration;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.TimeoutException;
import org.jboss.logging.Logger;

/**
 * Tests a backend for real, from the service itself: NFS over RPC (rpcbind, MOUNT, FSSTAT, ACCESS),
 * iSCSI as an initiator (portal, discovery, CHAP login, LUNs and capacity) and through the target
 * management (tgtadm, backing-store space). Every failure becomes part of the result.
 */
@ApplicationScoped
public class ConnectivityService {

    private static final Logger LOG = Logger.getLogger(ConnectivityService.class);
    private static final Duration BOUND = Duration.ofMinutes(2);

    private final BackendService backends;
    private final NfsClients nfs;
    private final TargetAdmins iscsi;
    private final SpaceProbe spaceProbe;
    private final StagingQueries staging;
    private final StorageConfig config;

    public ConnectivityService(BackendService backends, NfsClients nfs, TargetAdmins iscsi, SpaceProbe spaceProbe,
            StagingQueries staging, StorageConfig config) {
        this.backends = backends;
        this.nfs = nfs;
        this.iscsi = iscsi;
        this.spaceProbe = spaceProbe;
        this.staging = staging;
        this.config = config;
    }

    public Uni<ConnectivityResult> test(UUID id) {
        return backends.snapshot(id)
                .chain(backend -> Offload.blocking("connectivity test of storage backend " + id, BOUND, () -> probe(backend))
                        .onFailure(TimeoutException.class).recoverWithItem(failure -> new ConnectivityResult(id,
                                backend.backendType(), false, ProbeFailure.TIMEOUT, failure.getMessage(), List.of(), null,
                                null, null, OffsetDateTime.now(ZoneOffset.UTC), BOUND.toMillis())))
                .call(result -> result.totalBytes() == null || result.availableBytes() == null
                        ? Uni.createFrom().voidItem()
                        : backends.recordSpace(id, result.totalBytes(), result.availableBytes()))
                .invoke(result -> LOG.infof("connectivity test of storage backend %s: %s", id,
                        result.ok() ? "ok" : result.failure() + ": " + result.message()));
    }

    public Uni<SpaceView> space(UUID id) {
        return backends.snapshot(id).chain(backend -> Offload.blocking("space of storage backend " + id, BOUND, () -> {
            try {
                return new Outcome(spaceProbe.measure(backend), null, null);
            } catch (NfsException e) {
                return new Outcome(null, ProbeFailure.of(e.failure()), e.getMessage());
            } catch (IscsiException e) {
                return new Outcome(null, ProbeFailure.of(e.failure()), e.getMessage());
            } catch (RuntimeException e) {
                LOG.errorf(e, "space measurement of storage backend %s broke off", id);
                return new Outcome(null, ProbeFailure.PROTOCOL_ERROR, "the measurement broke off: " + e);
            }
        }).onFailure(TimeoutException.class).recoverWithItem(failure -> new Outcome(null, ProbeFailure.TIMEOUT,
                failure.getMessage())).chain(outcome -> {
            Uni<Void> recorded = outcome.measurement() == null ? Uni.createFrom().voidItem()
                    : backends.recordSpace(id, outcome.measurement().totalBytes(), outcome.measurement().availableBytes());
            return recorded.chain(() -> staging.reservation(id, null))
                    .chain(reservation -> backends.get(id).map(stored -> {
                        Long available = stored.availableBytes;
                        Long free = available == null ? null : Math.max(0, available - reservation.bytes());
                        return new SpaceView(id, backend.backendType(), outcome.measurement() != null, outcome.failure(),
                                outcome.message(), stored.totalBytes, available, reservation.bytes(), free,
                                reservation.activeAreas(), stored.spaceMeasuredAt,
                                outcome.measurement() == null ? null : outcome.measurement().source());
                    }));
        }));
    }

    private record Outcome(SpaceProbe.Measurement measurement, ProbeFailure failure, String message) {
    }

    private ConnectivityResult probe(BackendSnapshot backend) {
        long started = System.nanoTime();
        Probe probe = new Probe();
        try {
            if (backend.backendType() == BackendType.NFS) {
                probeNfs(backend, probe);
            } else {
                probeIscsi(backend, probe);
            }
        } catch (RuntimeException e) {
            LOG.errorf(e, "connectivity test of storage backend %s broke off", backend.id());
            probe.fail("unexpected", ProbeFailure.PROTOCOL_ERROR, "the test broke off: " + e);
        }
        Check failed = probe.checks.stream().filter(check -> !check.ok()).findFirst().orElse(null);
        String message = failed != null ? failed.detail()
                : "all " + probe.checks.size() + " checks passed";
        return new ConnectivityResult(backend.id(), backend.backendType(), failed == null,
                failed == null ? null : failed.failure(), message, List.copyOf(probe.checks), probe.totalBytes,
                probe.availableBytes, backend.backendType() == BackendType.ISCSI ? List.copyOf(probe.luns) : null,
                OffsetDateTime.now(ZoneOffset.UTC), (System.nanoTime() - started) / 1_000_000);
    }

    private void probeNfs(BackendSnapshot backend, Probe probe) {
        String where = backend.nfsServer() + ":" + backend.nfsExport();
        String step = "mount";
        try (NfsExport export = nfs.client().open(backend.nfsServer(), backend.nfsExport())) {
            probe.pass(step, "mounted " + where + " over NFSv3/TCP without a kernel mount");
            step = "space";
            FsStat stat = export.fsstat();
            probe.totalBytes = stat.totalBytes();
            probe.availableBytes = stat.availableBytes();
            probe.pass(step, stat.availableBytes() + " of " + stat.totalBytes() + " bytes available (FSSTAT)");
            step = "write_access";
            if (export.rootWritable()) {
                probe.pass(step, "the service may create and remove directories in the export");
            } else {
                probe.fail(step, ProbeFailure.NOT_WRITABLE, "the export mounts but uid " + config.nfs().uid()
                        + " may not create directories in it (root_squash, permissions?)");
            }
        } catch (NfsException e) {
            probe.fail(step, ProbeFailure.of(e.failure()), e.getMessage());
        }
    }

    private void probeIscsi(BackendSnapshot backend, Probe probe) {
        IscsiInitiator initiator = iscsi.initiator();
        String step = "portal";
        try {
            initiator.reach(backend.iscsiPortal());
            probe.pass(step, "portal " + backend.iscsiPortal() + " accepts connections");
            step = "discovery";
            List<String> targets = initiator.discover(backend.iscsiPortal(), backend.iscsiCredentials());
            if (!targets.contains(backend.iscsiTarget())) {
                probe.fail(step, ProbeFailure.TARGET_MISSING, "portal " + backend.iscsiPortal() + " does not offer "
                        + backend.iscsiTarget() + " (it offers " + targets.size() + " other target(s))");
            } else {
                probe.pass(step, "portal offers " + backend.iscsiTarget());
                step = "login";
                List<IscsiInitiator.Lun> luns = initiator.luns(backend.iscsiPortal(), backend.iscsiTarget(),
                        backend.iscsiCredentials(), config.iscsi().probeMaxLun());
                luns.forEach(lun -> probe.luns.add(new LunView(lun.lun(), lun.type(), lun.sizeBytes())));
                probe.pass(step, "logged in to " + backend.iscsiTarget()
                        + (backend.iscsiCredentials() == null ? " without CHAP" : " with CHAP user "
                        + backend.iscsiCredentials().username()) + "; " + luns.size() + " LUN(s)");
            }
        } catch (IscsiException e) {
            probe.fail(step, ProbeFailure.of(e.failure()), e.getMessage());
        }
        step = "management";
        try {
            IscsiTargetAdmin admin = iscsi.forBackend(backend);
            admin.check();
            probe.pass(step, admin.where() + " answers");
            step = "backing_store";
            IscsiTargetAdmin.Space space = admin.backingStoreSpace();
            probe.totalBytes = space.totalBytes();
            probe.availableBytes = space.availableBytes();
            probe.pass(step, space.availableBytes() + " of " + space.totalBytes() + " bytes available in "
                    + backend.management().backingStoreDir());
        } catch (IscsiException e) {
            probe.fail(step, ProbeFailure.of(e.failure()), e.getMessage());
        }
    }

    /** What a test found so far. */
    private static final class Probe {

        private final List<Check> checks = new ArrayList<>();
        private final List<LunView> luns = new ArrayList<>();
        private Long totalBytes;
        private Long availableBytes;

        void pass(String name, String detail) {
            checks.add(new Check(name, true, null, detail));
        }

        void fail(String name, ProbeFailure failure, String detail) {
            checks.add(new Check(name, false, failure, detail));
        }
    }
}
