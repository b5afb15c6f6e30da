package io.pureboot.clone.storage.staging;

import io.pureboot.clone.events.storage.BackendType;
import io.pureboot.clone.events.storage.StagingStatus;
import io.pureboot.clone.storage.support.BackendTypeConverter;
import io.pureboot.clone.storage.support.StagingActionConverter;
import io.pureboot.clone.storage.support.StagingStatusConverter;
import io.quarkus.hibernate.reactive.panache.PanacheEntityBase;
import jakarta.persistence.Column;
import jakarta.persistence.Convert;
import jakarta.persistence.Entity;
import jakarta.persistence.Id;
import jakarta.persistence.Table;
import jakarta.persistence.Version;
import java.time.OffsetDateTime;
import java.util.EnumSet;
import java.util.Set;
import java.util.UUID;

/**
 * The staging area of one clone session: a directory in an NFS export, or an iSCSI target with
 * one LUN on a sparse backing file. {@link #status} only moves along {@link StagingTransitions}.
 */
@Entity
@Table(name = "staging_area")
public class StagingArea extends PanacheEntityBase {

    /** Statuses in which the area holds (or is about to hold) resources on its backend. */
    public static final Set<StagingStatus> ACTIVE = EnumSet.complementOf(EnumSet.of(StagingStatus.DELETED));

    /** Statuses in which the area's space is promised but not yet written: counted as reserved. */
    public static final Set<StagingStatus> RESERVING = EnumSet.of(StagingStatus.PENDING, StagingStatus.PROVISIONING,
            StagingStatus.PROVISIONED, StagingStatus.UPLOADING);

    @Id
    @Column(name = "session_id")
    public UUID sessionId;

    @Column(name = "backend_id")
    public UUID backendId;

    /** Null when the session asked for a backend that does not exist. */
    @Convert(converter = BackendTypeConverter.class)
    @Column(name = "backend_type")
    public BackendType backendType;

    @Convert(converter = StagingStatusConverter.class)
    @Column(nullable = false)
    public StagingStatus status;

    @Column(name = "size_bytes", nullable = false)
    public long sizeBytes;

    @Column(name = "staging_path")
    public String stagingPath;

    @Column(name = "iscsi_tid")
    public Integer iscsiTid;

    @Column(name = "iscsi_iqn")
    public String iscsiIqn;

    @Column(name = "iscsi_lun")
    public Integer iscsiLun;

    @Column(name = "iscsi_backing_file")
    public String iscsiBackingFile;

    @Column(name = "lun_size_bytes")
    public Long lunSizeBytes;

    @Column(name = "chap_username")
    public String chapUsername;

    /** Sealed; generated for this session only. */
    @Column(name = "chap_password")
    public String chapPassword;

    @Column(name = "read_only", nullable = false)
    public boolean readOnly;

    public String reason;

    @Convert(converter = StagingActionConverter.class)
    @Column(name = "next_action")
    public StagingAction nextAction;

    @Column(name = "action_due_at")
    public OffsetDateTime actionDueAt;

    @Column(name = "action_attempts", nullable = false)
    public int actionAttempts;

    @Column(name = "last_error")
    public String lastError;

    @Column(name = "lease_until")
    public OffsetDateTime leaseUntil;

    @Column(name = "cleanup_requested_at")
    public OffsetDateTime cleanupRequestedAt;

    @Column(name = "created_at", nullable = false)
    public OffsetDateTime createdAt;

    @Column(name = "updated_at", nullable = false)
    public OffsetDateTime updatedAt;

    @Version
    public long version;

    /** The context this area's sealed CHAP password is bound to. */
    public String secretContext() {
        return "staging_area:" + sessionId + ":chap_password";
    }
}
