package io.pureboot.clone.storage.backend.service;

import io.pureboot.clone.events.EventCatalog;
import io.pureboot.clone.events.storage.BackendType;
import io.pureboot.clone.events.storage.StagingStatus;
import io.pureboot.clone.events.storage.StorageBackendChanged;
import io.pureboot.clone.platform.crypto.SecretCipher;
import io.pureboot.clone.platform.outbox.Outbox;
import io.pureboot.clone.platform.rest.ApiException;
import io.pureboot.clone.storage.backend.BackendSnapshot;
import io.pureboot.clone.storage.backend.ManagementMode;
import io.pureboot.clone.storage.backend.StorageBackend;
import io.pureboot.clone.storage.backend.rest.BackendRequest;
import io.pureboot.clone.storage.backend.rest.IscsiManagementRequest;
import io.pureboot.clone.storage.iscsi.ChapCredentials;
import io.pureboot.clone.storage.iscsi.Portal;
import io.pureboot.clone.storage.staging.StagingArea;
import io.quarkus.hibernate.reactive.panache.common.WithSession;
import io.quarkus.hibernate.reactive.panache.common.WithTransaction;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.UUID;
import org.hibernate.exception.ConstraintViolationException;
import org.jboss.logging.Logger;

/** Registers, changes and removes storage backends; every change is an event through the outbox. */
@ApplicationScoped
public class BackendService {

    private static final Logger LOG = Logger.getLogger(BackendService.class);
    private static final int DEFAULT_SSH_PORT = 22;

    private final Outbox outbox;
    private final SecretCipher cipher;

    public BackendService(Outbox outbox, SecretCipher cipher) {
        this.outbox = outbox;
        this.cipher = cipher;
    }

    @WithSession
    public Uni<List<StorageBackend>> list() {
        return StorageBackend.list("order by lower(name)");
    }

    @WithSession
    public Uni<StorageBackend> get(UUID id) {
        return find(id);
    }

    /** The backend with its secrets opened, for work done off the event loop. */
    @WithSession
    public Uni<BackendSnapshot> snapshot(UUID id) {
        return find(id).map(this::snapshotOf)
                .onFailure(SecretCipher.SealedValueException.class).transform(failure -> {
                    LOG.errorf("storage backend %s: %s", id, failure.getMessage());
                    return ApiException.conflict("a stored secret of storage backend " + id + " cannot be opened with"
                            + " the configured pureboot.storage.secret-key; enter it again with PUT");
                });
    }

    @WithTransaction
    public Uni<StorageBackend> create(BackendRequest request) {
        return Uni.createFrom().voidItem()
                .invoke(() -> BackendRules.check(request, null))
                .chain(() -> requireUniqueName(request.name(), null))
                .chain(() -> {
                    OffsetDateTime now = now();
                    StorageBackend backend = new StorageBackend();
                    backend.id = UUID.randomUUID();
                    backend.createdAt = now;
                    backend.enabled = request.enabled() == null || request.enabled();
                    apply(backend, request, now);
                    return backend.<StorageBackend>persistAndFlush();
                })
                .onFailure(ConstraintViolationException.class).transform(failure -> duplicateName(request.name()))
                .call(saved -> publish(saved, StorageBackendChanged.Change.REGISTERED))
                .invoke(saved -> LOG.infof("registered %s storage backend %s (%s)", BackendRules.typeName(saved.backendType),
                        saved.name, saved.id));
    }

    @WithTransaction
    public Uni<StorageBackend> update(UUID id, BackendRequest request) {
        return find(id).chain(backend -> {
            BackendRules.check(request, backend);
            return requireUniqueName(request.name(), id)
                    .chain(() -> activeStagingAreas(id))
                    .chain(active -> {
                        List<String> moved = locationChanges(backend, request);
                        if (active > 0 && !moved.isEmpty()) {
                            return Uni.createFrom().failure(ApiException.conflict("storage backend " + backend.name
                                    + " has " + active + " active staging area(s); " + String.join(", ", moved)
                                    + " cannot change until they are cleaned up"));
                        }
                        if (request.enabled() != null) {
                            backend.enabled = request.enabled();
                        }
                        apply(backend, request, now());
                        return backend.<StorageBackend>persistAndFlush();
                    });
        })
                .onFailure(ConstraintViolationException.class).transform(failure -> duplicateName(request.name()))
                .call(saved -> publish(saved, StorageBackendChanged.Change.UPDATED));
    }

    /** Deletes a backend that holds no staging area any more (409 otherwise). */
    @WithTransaction
    public Uni<Void> delete(UUID id) {
        return find(id).chain(backend -> activeStagingAreas(id).chain(active -> {
            if (active > 0) {
                return Uni.createFrom().failure(ApiException.conflict("storage backend " + backend.name + " has "
                        + active + " active staging area(s); it can be deleted once they are cleaned up"));
            }
            return publish(backend, StorageBackendChanged.Change.DELETED)
                    .chain(backend::delete)
                    .invoke(() -> LOG.infof("deleted storage backend %s (%s)", backend.name, backend.id));
        }));
    }

    /** Stores the space a test or a space query just measured. */
    @WithTransaction
    public Uni<Void> recordSpace(UUID id, long totalBytes, long availableBytes) {
        return StorageBackend.<StorageBackend>findById(id).invoke(backend -> {
            if (backend != null) {
                backend.totalBytes = totalBytes;
                backend.availableBytes = availableBytes;
                backend.spaceMeasuredAt = now();
            }
        }).replaceWithVoid();
    }

    /** Staging areas on the backend that are not deleted. */
    public Uni<Long> activeStagingAreas(UUID id) {
        return StagingArea.count("backendId = ?1 and status <> ?2", id, StagingStatus.DELETED);
    }

    /** Opens the backend's secrets into an in-memory snapshot. */
    public BackendSnapshot snapshotOf(StorageBackend backend) {
        ChapCredentials chap = backend.iscsiUsername == null ? null : new ChapCredentials(backend.iscsiUsername,
                cipher.open(backend.iscsiPassword, backend.secretContext("iscsi_password")));
        BackendSnapshot.Management management = backend.managementMode == null ? null
                : new BackendSnapshot.Management(backend.managementMode,
                        backend.managementControlPort == null ? 0 : backend.managementControlPort,
                        backend.managementBackingStoreDir, backend.managementSshHost,
                        backend.managementSshPort == null ? DEFAULT_SSH_PORT : backend.managementSshPort,
                        backend.managementSshUser,
                        cipher.open(backend.managementSshPrivateKey, backend.secretContext("management_ssh_private_key")),
                        backend.managementSshHostKey);
        return new BackendSnapshot(backend.id, backend.name, backend.backendType, backend.enabled, backend.nfsServer,
                backend.nfsExport, backend.nfsOptions, backend.iscsiTarget,
                backend.iscsiPortal == null ? null : Portal.parse(backend.iscsiPortal), chap, management);
    }

    private Uni<StorageBackend> find(UUID id) {
        return StorageBackend.<StorageBackend>findById(id)
                .onItem().ifNull().failWith(() -> ApiException.notFound("storage backend", id));
    }

    private Uni<Void> requireUniqueName(String name, UUID self) {
        return StorageBackend.count("lower(name) = lower(?1) and id <> ?2", name.strip(),
                self == null ? new UUID(0, 0) : self)
                .chain(count -> count > 0 ? Uni.createFrom().failure(duplicateName(name)) : Uni.createFrom().voidItem());
    }

    private static ApiException duplicateName(String name) {
        return ApiException.conflict("a storage backend named '" + name.strip() + "' exists already");
    }

    private Uni<Void> publish(StorageBackend backend, StorageBackendChanged.Change change) {
        return outbox.publish(EventCatalog.STORAGE_BACKEND_CHANGED, new StorageBackendChanged(backend.id.toString(),
                backend.name, backend.backendType, backend.enabled, change)).replaceWithVoid();
    }

    /** Copies the request onto the entity; secrets are sealed, and kept when the request omits them. */
    private void apply(StorageBackend backend, BackendRequest request, OffsetDateTime now) {
        backend.name = request.name().strip();
        backend.backendType = request.backendType();
        backend.updatedAt = now;
        if (request.backendType() == BackendType.NFS) {
            backend.nfsServer = request.nfsServer().strip();
            backend.nfsExport = request.nfsExport().strip();
            backend.nfsOptions = blankToNull(request.nfsOptions());
            return;
        }
        backend.iscsiTarget = request.iscsiTarget().strip();
        backend.iscsiPortal = request.iscsiPortal().strip();
        String username = blankToNull(request.iscsiUsername());
        if (username == null) {
            backend.iscsiPassword = null;
        } else if (request.iscsiPassword() != null) {
            backend.iscsiPassword = cipher.seal(request.iscsiPassword(), backend.secretContext("iscsi_password"));
        }
        backend.iscsiUsername = username;
        IscsiManagementRequest management = request.iscsiManagement();
        backend.managementMode = management.mode();
        backend.managementControlPort = management.controlPort() == null ? 0 : management.controlPort();
        backend.managementBackingStoreDir = management.backingStoreDir().strip();
        if (management.mode() == ManagementMode.TGTADM_SSH) {
            backend.managementSshHost = management.sshHost().strip();
            backend.managementSshPort = management.sshPort() == null ? DEFAULT_SSH_PORT : management.sshPort();
            backend.managementSshUser = management.sshUser().strip();
            backend.managementSshHostKey = management.sshHostKey().strip();
            if (management.sshPrivateKey() != null && !management.sshPrivateKey().isBlank()) {
                backend.managementSshPrivateKey = cipher.seal(management.sshPrivateKey(),
                        backend.secretContext("management_ssh_private_key"));
            }
        } else {
            backend.managementSshHost = null;
            backend.managementSshPort = null;
            backend.managementSshUser = null;
            backend.managementSshHostKey = null;
            backend.managementSshPrivateKey = null;
        }
    }

    /** The fields that say where staging areas live; they cannot change under active areas. */
    private static List<String> locationChanges(StorageBackend backend, BackendRequest request) {
        List<String> changed = new ArrayList<>();
        if (request.backendType() == BackendType.NFS) {
            compare(changed, "nfs_server", backend.nfsServer, request.nfsServer());
            compare(changed, "nfs_export", backend.nfsExport, request.nfsExport());
            return changed;
        }
        compare(changed, "iscsi_portal", backend.iscsiPortal, request.iscsiPortal());
        IscsiManagementRequest management = request.iscsiManagement();
        if (management != null) {
            compare(changed, "iscsi_management.mode", backend.managementMode, management.mode());
            compare(changed, "iscsi_management.control_port", backend.managementControlPort,
                    management.controlPort() == null ? 0 : management.controlPort());
            compare(changed, "iscsi_management.backing_store_dir", backend.managementBackingStoreDir,
                    management.backingStoreDir());
            compare(changed, "iscsi_management.ssh_host", backend.managementSshHost, management.sshHost());
        }
        return changed;
    }

    private static void compare(List<String> changed, String field, Object stored, Object requested) {
        Object normalized = requested instanceof String text ? text.strip() : requested;
        if (!Objects.equals(stored, normalized)) {
            changed.add(field);
        }
    }

    private static String blankToNull(String value) {
        return value == null || value.isBlank() ? null : value.strip();
    }

    private static OffsetDateTime now() {
        return OffsetDateTime.now(ZoneOffset.UTC);
    }
}
