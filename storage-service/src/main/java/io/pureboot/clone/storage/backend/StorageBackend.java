package io.pureboot.clone.storage.backend;

import io.pureboot.clone.events.storage.BackendType;
import io.pureboot.clone.storage.support.BackendTypeConverter;
import io.pureboot.clone.storage.support.ManagementModeConverter;
import io.quarkus.hibernate.reactive.panache.PanacheEntityBase;
import jakarta.persistence.Column;
import jakarta.persistence.Convert;
import jakarta.persistence.Entity;
import jakarta.persistence.Id;
import jakarta.persistence.Table;
import jakarta.persistence.Version;
import java.time.OffsetDateTime;
import java.util.UUID;

/**
 * A place staged images go: an NFS export or an iSCSI target host. The fields holding secrets
 * ({@link #iscsiPassword}, {@link #managementSshPrivateKey}) hold sealed values only; see
 * {@code platform.crypto.SecretCipher}.
 */
@Entity
@Table(name = "storage_backend")
public class StorageBackend extends PanacheEntityBase {

    @Id
    public UUID id;

    @Column(nullable = false)
    public String name;

    @Convert(converter = BackendTypeConverter.class)
    @Column(name = "backend_type", nullable = false)
    public BackendType backendType;

    @Column(nullable = false)
    public boolean enabled;

    @Column(name = "nfs_server")
    public String nfsServer;

    @Column(name = "nfs_export")
    public String nfsExport;

    @Column(name = "nfs_options")
    public String nfsOptions;

    @Column(name = "iscsi_target")
    public String iscsiTarget;

    @Column(name = "iscsi_portal")
    public String iscsiPortal;

    @Column(name = "iscsi_username")
    public String iscsiUsername;

    /** Sealed CHAP password of {@link #iscsiTarget}. */
    @Column(name = "iscsi_password")
    public String iscsiPassword;

    @Convert(converter = ManagementModeConverter.class)
    @Column(name = "management_mode")
    public ManagementMode managementMode;

    @Column(name = "management_control_port")
    public Integer managementControlPort;

    @Column(name = "management_backing_store_dir")
    public String managementBackingStoreDir;

    @Column(name = "management_ssh_host")
    public String managementSshHost;

    @Column(name = "management_ssh_port")
    public Integer managementSshPort;

    @Column(name = "management_ssh_user")
    public String managementSshUser;

    /** Sealed OpenSSH private key. */
    @Column(name = "management_ssh_private_key")
    public String managementSshPrivateKey;

    @Column(name = "management_ssh_host_key")
    public String managementSshHostKey;

    @Column(name = "total_bytes")
    public Long totalBytes;

    @Column(name = "available_bytes")
    public Long availableBytes;

    @Column(name = "space_measured_at")
    public OffsetDateTime spaceMeasuredAt;

    @Column(name = "created_at", nullable = false)
    public OffsetDateTime createdAt;

    @Column(name = "updated_at", nullable = false)
    public OffsetDateTime updatedAt;

    @Version
    public long version;

    /** The context a sealed secret of this backend is bound to. */
    public String secretContext(String column) {
        return "storage_backend:" + id + ":" + column;
    }
}
