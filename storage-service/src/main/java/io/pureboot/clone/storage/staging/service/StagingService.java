package io.pureboot.clone.storage.staging.service;

import io.pureboot.clone.events.EventCatalog;
import io.pureboot.clone.events.session.CloneSessionSourceCompleted;
import io.pureboot.clone.events.session.CloneSessionStagingRequested;
import io.pureboot.clone.events.storage.BackendType;
import io.pureboot.clone.events.storage.StagingStatus;
import io.pureboot.clone.events.storage.StagingStatusChanged;
import io.pureboot.clone.platform.crypto.SecretCipher;
import io.pureboot.clone.platform.outbox.Outbox;
import io.pureboot.clone.platform.rest.ApiException;
import io.pureboot.clone.storage.backend.BackendSnapshot;
import io.pureboot.clone.storage.backend.StorageBackend;
import io.pureboot.clone.storage.backend.service.BackendService;
import io.pureboot.clone.storage.config.StorageConfig;
import io.pureboot.clone.storage.staging.StagingAction;
import io.pureboot.clone.storage.staging.StagingArea;
import io.pureboot.clone.storage.staging.StagingNames;
import io.pureboot.clone.storage.staging.StagingTransitions;
import io.quarkus.hibernate.reactive.panache.Panache;
import io.quarkus.hibernate.reactive.panache.common.WithTransaction;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.Duration;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Locale;
import java.util.UUID;
import org.jboss.logging.Logger;

/**
 * The life of staging areas: created on a staging request, moved through the status machine by
 * session events, the worker and the nodes' mount requests, and cleaned up when the session ends.
 * Every status change is a {@code StagingStatusChanged} event written through the outbox in the
 * same transaction. The event handlers run inside the inbox transaction and treat an event that
 * does not apply (a duplicate, a late one) as handled.
 */
@ApplicationScoped
public class StagingService {

    private static final Logger LOG = Logger.getLogger(StagingService.class);
    private static final Duration FIRST_RETRY = Duration.ofSeconds(2);
    private static final int SEAL_ATTEMPTS = 5;

    private final Outbox outbox;
    private final SecretCipher cipher;
    private final BackendService backends;
    private final StagingQueries queries;
    private final StorageConfig config;

    public StagingService(Outbox outbox, SecretCipher cipher, BackendService backends, StagingQueries queries,
            StorageConfig config) {
        this.outbox = outbox;
        this.cipher = cipher;
        this.backends = backends;
        this.queries = queries;
        this.config = config;
    }

    // ---- session events (inside the inbox transaction)

    /** A staged session wants its area: record it as pending, or as failed when the request cannot be met. */
    public Uni<Void> requested(CloneSessionStagingRequested request) {
        UUID sessionId = request.sessionId();
        return StagingArea.<StagingArea>findById(sessionId).chain(existing -> {
            if (existing != null) {
                LOG.debugf("staging of session %s was requested before (%s); ignored", sessionId,
                        StagingTransitions.name(existing.status));
                return Uni.createFrom().voidItem();
            }
            return StorageBackend.<StorageBackend>findById(parseUuid(request.storageBackendId()))
                    .chain(backend -> create(request, backend));
        });
    }

    /** The source finished uploading: uploading (if the source never asked for its mount), then seal. */
    public Uni<Void> sourceCompleted(CloneSessionSourceCompleted completed) {
        return StagingArea.<StagingArea>findById(completed.sessionId()).chain(area -> {
            if (area == null) {
                LOG.debugf("session %s completed its source but has no staging area; ignored", completed.sessionId());
                return Uni.createFrom().voidItem();
            }
            boolean uploadable = area.status == StagingStatus.PROVISIONED || area.status == StagingStatus.UPLOADING;
            if (!uploadable || area.nextAction == StagingAction.SEAL || area.cleanupRequestedAt != null) {
                LOG.infof("source of session %s completed while its staging area is %s; nothing to seal",
                        area.sessionId, StagingTransitions.name(area.status));
                return Uni.createFrom().voidItem();
            }
            Uni<Void> uploading = area.status == StagingStatus.PROVISIONED
                    ? move(area, StagingStatus.UPLOADING, null) : Uni.createFrom().voidItem();
            return uploading.invoke(() -> schedule(area, StagingAction.SEAL, now()));
        });
    }

    /** The session completed, was cancelled or failed: clean up after the retention period. */
    public Uni<Void> sessionEnded(UUID sessionId, String how) {
        return StagingArea.<StagingArea>findById(sessionId).invoke(area -> {
            if (area == null) {
                LOG.debugf("session %s %s without a staging area", sessionId, how);
                return;
            }
            if (area.cleanupRequestedAt != null || area.status == StagingStatus.DELETED) {
                LOG.debugf("session %s %s again; cleanup already scheduled", sessionId, how);
                return;
            }
            OffsetDateTime now = now();
            area.cleanupRequestedAt = now;
            area.updatedAt = now;
            schedule(area, StagingAction.CLEANUP, now.plus(config.staging().retention()));
            LOG.infof("session %s %s: its staging area is cleaned up from %s", sessionId, how, area.actionDueAt);
        }).replaceWithVoid();
    }

    // ---- the worker

    /**
     * Leases up to {@code limit} areas whose action is due and whose lease (if any) ran out; returns
     * their session ids. Rows another replica is claiming at the same moment are skipped.
     */
    @WithTransaction
    public Uni<List<UUID>> claimDue(int limit, Duration lease) {
        return Panache.getSession().chain(session -> session.createNativeQuery(
                        "select cast(session_id as text) from staging_area"
                                + " where next_action is not null and action_due_at <= now()"
                                + " and (lease_until is null or lease_until < now())"
                                + " order by action_due_at limit ?1 for update skip locked", String.class)
                .setParameter(1, limit)
                .getResultList())
                .map(ids -> ids.stream().map(UUID::fromString).toList())
                .call(ids -> ids.isEmpty() ? Uni.createFrom().voidItem()
                        : StagingArea.update("leaseUntil = ?1 where sessionId in ?2", now().plus(lease), ids));
    }

    /** Starts the leased action of an area: the status change that opens it, and the job for the worker. */
    @WithTransaction
    public Uni<StagingJob> begin(UUID sessionId) {
        return StagingArea.<StagingArea>findById(sessionId).chain(area -> {
            if (area == null || area.nextAction == null) {
                return Uni.createFrom().nullItem();
            }
            return (area.backendId == null ? Uni.createFrom().<StorageBackend>nullItem()
                    : StorageBackend.<StorageBackend>findById(area.backendId)).chain(backend -> {
                        if (backend == null) {
                            return area.nextAction == StagingAction.CLEANUP
                                    ? nothingToClean(area)
                                    : giveUp(area, "its storage backend no longer exists");
                        }
                        return open(area, backend);
                    });
        });
    }

    /**
     * Records what the worker's action achieved. When the session ended while it ran, the cleanup
     * scheduled meanwhile stays next; a finished provisioning is still recorded, so that every
     * status the area went through is told.
     */
    @WithTransaction
    public Uni<Void> succeeded(StagingJob job, ProvisionedArea provisioned) {
        return StagingArea.<StagingArea>findById(job.sessionId()).chain(area -> {
            if (area == null) {
                return Uni.createFrom().voidItem();
            }
            area.leaseUntil = null;
            boolean superseded = area.nextAction != job.action();
            if (!superseded) {
                area.actionAttempts = 0;
                area.lastError = null;
            }
            return switch (job.action()) {
                case PROVISION -> {
                    if (area.status != StagingStatus.PROVISIONING) {
                        yield Uni.createFrom().voidItem();
                    }
                    area.stagingPath = provisioned.stagingPath();
                    area.iscsiTid = provisioned.tid();
                    area.iscsiIqn = provisioned.iqn();
                    area.iscsiLun = provisioned.lun();
                    area.iscsiBackingFile = provisioned.backingFile();
                    area.chapUsername = provisioned.chapUsername();
                    area.chapPassword = cipher.seal(provisioned.chapPassword(), area.secretContext());
                    if (!superseded) {
                        area.nextAction = null;
                    }
                    yield move(area, StagingStatus.PROVISIONED, null).invoke(() -> afterAction(area));
                }
                case SEAL -> {
                    if (superseded || area.status != StagingStatus.UPLOADING) {
                        yield Uni.createFrom().voidItem();
                    }
                    area.readOnly = true;
                    area.nextAction = null;
                    yield move(area, StagingStatus.READY, null).invoke(() -> afterAction(area));
                }
                case CLEANUP -> {
                    if (superseded || area.status != StagingStatus.CLEANUP) {
                        yield Uni.createFrom().voidItem();
                    }
                    area.nextAction = null;
                    area.actionDueAt = null;
                    area.chapPassword = null;
                    area.readOnly = false;
                    yield move(area, StagingStatus.DELETED, null);
                }
            };
        });
    }

    /**
     * Records a failed attempt: retried with backoff, except that a refused or too often failed
     * provisioning or sealing turns the area failed. A cleanup is retried until it succeeds.
     */
    @WithTransaction
    public Uni<Void> failed(StagingJob job, Throwable error) {
        String message = error instanceof StagingRefusedException || error.getMessage() != null
                ? error.getMessage() : error.toString();
        return StagingArea.<StagingArea>findById(job.sessionId()).chain(area -> {
            if (area == null) {
                return Uni.createFrom().voidItem();
            }
            area.leaseUntil = null;
            if (area.nextAction != job.action()) {
                LOG.infof("staging area of session %s: %s failed (%s) but the session ended meanwhile; cleaning up",
                        area.sessionId, actionName(job.action()), message);
                return Uni.createFrom().voidItem();
            }
            area.actionAttempts++;
            area.lastError = message;
            boolean permanent = error instanceof StagingRefusedException;
            int limit = switch (job.action()) {
                case PROVISION -> config.staging().provisionAttempts();
                case SEAL -> SEAL_ATTEMPTS;
                case CLEANUP -> Integer.MAX_VALUE;
            };
            if (permanent || area.actionAttempts >= limit) {
                LOG.warnf("staging area of session %s: %s failed for good: %s", area.sessionId, actionName(job.action()),
                        message);
                return giveUp(area, message).replaceWithVoid();
            }
            area.actionDueAt = now().plus(backoff(area.actionAttempts));
            LOG.warnf("staging area of session %s: %s failed (attempt %d), retrying from %s: %s", area.sessionId,
                    actionName(job.action()), area.actionAttempts, area.actionDueAt, message);
            return Uni.createFrom().voidItem();
        });
    }

    // ---- nodes, through clone-service

    /**
     * Mount details for a node of the session. A source may mount a provisioned (or uploading) area
     * and moves it to uploading; a target may mount a ready (or downloading) area, read-only, and
     * moves it to downloading. Without a role the details are handed out as they are (read-write
     * before the upload is sealed, read-only after) and nothing moves. Asking again is harmless.
     */
    @WithTransaction
    public Uni<MountGrant> mount(UUID sessionId, MountRole role) {
        return StagingArea.<StagingArea>findById(sessionId)
                .onItem().ifNull().failWith(() -> ApiException.notFound("staging area of session", sessionId))
                .chain(area -> {
                    boolean sealed = area.status == StagingStatus.READY || area.status == StagingStatus.DOWNLOADING;
                    MountRole effective = role != null ? role : sealed ? MountRole.TARGET : MountRole.SOURCE;
                    StagingStatus from = effective == MountRole.SOURCE ? StagingStatus.PROVISIONED : StagingStatus.READY;
                    StagingStatus to = effective == MountRole.SOURCE ? StagingStatus.UPLOADING : StagingStatus.DOWNLOADING;
                    boolean open = (area.status == from || area.status == to) && area.nextAction == null
                            && area.cleanupRequestedAt == null;
                    if (!open) {
                        return Uni.createFrom().failure(ApiException.conflict("staging area of session " + sessionId
                                + " is " + StagingTransitions.name(area.status)
                                + (area.nextAction == null ? "" : " (" + actionName(area.nextAction) + " pending)")
                                + "; " + (role == null ? "it can be mounted" : "a " + roleName(role) + " may mount it")
                                + " only when it is " + StagingTransitions.name(from) + " or "
                                + StagingTransitions.name(to)));
                    }
                    Uni<Void> moved = role != null && area.status == from ? move(area, to, null)
                            : Uni.createFrom().voidItem();
                    return moved.chain(() -> StorageBackend.<StorageBackend>findById(area.backendId))
                            .map(backend -> new MountGrant(area.sessionId, area.status, effective, sealed
                                    || effective == MountRole.TARGET || area.readOnly, area.stagingPath, area.iscsiIqn,
                                    area.iscsiLun, area.chapUsername, cipher.open(area.chapPassword, area.secretContext()),
                                    backends.snapshotOf(backend)));
                });
    }

    /**
     * The same, for a session named by the internal API's path text: one that is no session id has
     * no staging area (404). Goes once the internal resource takes the path parameter as a UUID.
     */
    public Uni<MountGrant> mount(String sessionId, MountRole role) {
        UUID id = SessionIds.parseOrNull(sessionId);
        return id == null ? Uni.createFrom().failure(ApiException.notFound("staging area of session", sessionId))
                : mount(id, role);
    }

    /** What {@link #mount} hands out, before it becomes the API answer. */
    public record MountGrant(UUID sessionId, StagingStatus status, MountRole role, boolean readOnly,
            String stagingPath, String iqn, Integer lun, String chapUsername, String chapPassword,
            BackendSnapshot backend) {

        @Override
        public String toString() {
            return "MountGrant[sessionId=" + sessionId + ", status=" + status + ", iqn=" + iqn + ", chapPassword=***]";
        }
    }

    // ---- internals

    private Uni<Void> create(CloneSessionStagingRequested request, StorageBackend backend) {
        StagingArea area = new StagingArea();
        OffsetDateTime now = now();
        area.sessionId = request.sessionId();
        area.backendId = backend == null ? null : backend.id;
        area.backendType = backend == null ? null : backend.backendType;
        area.status = StagingStatus.PENDING;
        area.sizeBytes = request.sizeBytes();
        area.createdAt = now;
        area.updatedAt = now;
        String refusal = refusal(request, backend);
        if (refusal == null && area.backendType == BackendType.ISCSI) {
            area.lunSizeBytes = StagingNames.lunSize(request.sizeBytes());
        }
        if (refusal == null) {
            area.stagingPath = area.backendType == BackendType.NFS ? StagingNames.nfsPath(area.sessionId)
                    : StagingNames.iqn(config.iscsi().stagingIqnPrefix(), area.sessionId) + "/" + StagingNames.LUN;
            schedule(area, StagingAction.PROVISION, now);
        }
        return area.persist()
                .chain(() -> publish(area, null, StagingStatus.PENDING, null))
                .chain(() -> {
                    if (refusal == null) {
                        LOG.infof("staging of session %s (%d bytes) on backend %s requested", area.sessionId,
                                area.sizeBytes, backend.name);
                        return Uni.createFrom().voidItem();
                    }
                    LOG.warnf("staging of session %s refused: %s", area.sessionId, refusal);
                    return move(area, StagingStatus.FAILED, refusal);
                });
    }

    private String refusal(CloneSessionStagingRequested request, StorageBackend backend) {
        if (backend == null) {
            return "storage backend " + request.storageBackendId() + " does not exist";
        }
        if (!backend.enabled) {
            return "storage backend " + backend.name + " is disabled";
        }
        if (request.sizeBytes() > config.staging().maxSizeBytes()) {
            return "a staging area of " + request.sizeBytes() + " bytes is larger than the "
                    + config.staging().maxSizeBytes() + " bytes pureboot.storage.staging.max-size-bytes allows";
        }
        return null;
    }

    private Uni<StagingJob> open(StagingArea area, StorageBackend backend) {
        BackendSnapshot snapshot = backends.snapshotOf(backend);
        StagingAction action = area.nextAction;
        Uni<Void> opened = switch (action) {
            case PROVISION -> area.status == StagingStatus.PENDING ? move(area, StagingStatus.PROVISIONING, null)
                    : Uni.createFrom().voidItem();
            case CLEANUP -> area.status == StagingStatus.CLEANUP ? Uni.createFrom().voidItem()
                    : move(area, StagingStatus.CLEANUP, null);
            case SEAL -> Uni.createFrom().voidItem();
        };
        Uni<Long> reserved = action == StagingAction.PROVISION
                ? queries.reservation(backend.id, area.sessionId).map(StagingQueries.Reservation::bytes)
                : Uni.createFrom().item(0L);
        return opened.chain(() -> reserved).map(bytes -> new StagingJob(action, area.sessionId, snapshot, area.sizeBytes,
                area.lunSizeBytes == null ? area.sizeBytes : area.lunSizeBytes, bytes, area.actionAttempts + 1));
    }

    /** The area cannot go on: failed, with a cleanup if its session already ended. */
    /**
     * An area without a backend never had anything on a server, so its cleanup is bookkeeping only.
     * Giving up instead would schedule the cleanup again at once and spin the worker on it.
     */
    private Uni<StagingJob> nothingToClean(StagingArea area) {
        area.leaseUntil = null;
        area.nextAction = null;
        area.actionDueAt = null;
        Uni<Void> cleanup = StagingTransitions.allowed(area.status, StagingStatus.CLEANUP)
                ? move(area, StagingStatus.CLEANUP, null) : Uni.createFrom().voidItem();
        return cleanup.chain(() -> area.status == StagingStatus.CLEANUP
                        ? move(area, StagingStatus.DELETED, null) : Uni.createFrom().voidItem())
                .replaceWith(Uni.createFrom().nullItem());
    }

    private Uni<StagingJob> giveUp(StagingArea area, String reason) {
        area.leaseUntil = null;
        area.nextAction = null;
        area.actionDueAt = null;
        Uni<Void> failed = StagingTransitions.allowed(area.status, StagingStatus.FAILED)
                ? move(area, StagingStatus.FAILED, reason) : Uni.createFrom().voidItem();
        return failed.invoke(() -> afterAction(area)).replaceWith(Uni.createFrom().nullItem());
    }

    /** After an action: the cleanup the session's end asked for, if any, is due now or after the retention. */
    private void afterAction(StagingArea area) {
        if (area.cleanupRequestedAt != null && area.status != StagingStatus.CLEANUP
                && area.status != StagingStatus.DELETED) {
            schedule(area, StagingAction.CLEANUP, area.cleanupRequestedAt.plus(config.staging().retention()));
        }
    }

    private void schedule(StagingArea area, StagingAction action, OffsetDateTime due) {
        area.nextAction = action;
        area.actionDueAt = due;
        area.actionAttempts = 0;
        area.lastError = null;
        area.updatedAt = now();
    }

    /** Moves the area along the status machine and publishes the change, in the caller's transaction. */
    private Uni<Void> move(StagingArea area, StagingStatus to, String reason) {
        StagingStatus from = area.status;
        StagingTransitions.require(area.sessionId, from, to);
        area.status = to;
        area.updatedAt = now();
        if (to == StagingStatus.FAILED) {
            area.reason = reason;
        }
        LOG.infof("staging area of session %s: %s -> %s%s", area.sessionId, StagingTransitions.name(from),
                StagingTransitions.name(to), reason == null ? "" : " (" + reason + ")");
        return publish(area, from, to, reason);
    }

    private Uni<Void> publish(StagingArea area, StagingStatus from, StagingStatus to, String reason) {
        return outbox.publish(EventCatalog.STAGING_STATUS_CHANGED, new StagingStatusChanged(area.sessionId,
                area.backendId == null ? null : area.backendId.toString(), area.backendType, area.stagingPath, from, to,
                area.sizeBytes, reason)).replaceWithVoid();
    }

    private Duration backoff(int attempts) {
        long factor = 1L << Math.min(attempts - 1, 16);
        Duration delay = FIRST_RETRY.multipliedBy(factor);
        return delay.compareTo(config.staging().maxRetryDelay()) > 0 ? config.staging().maxRetryDelay() : delay;
    }

    private static String roleName(MountRole role) {
        return role == MountRole.SOURCE ? "source" : "target";
    }

    private static String actionName(StagingAction action) {
        return action.name().toLowerCase(Locale.ROOT);
    }

    private static UUID parseUuid(String value) {
        try {
            return UUID.fromString(value);
        } catch (IllegalArgumentException e) {
            return new UUID(0, 0);
        }
    }

    private static OffsetDateTime now() {
        return OffsetDateTime.now(ZoneOffset.UTC);
    }
}
