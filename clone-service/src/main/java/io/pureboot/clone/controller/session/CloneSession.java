package io.pureboot.clone.controller.session;

import io.pureboot.clone.events.session.CloneMode;
import io.pureboot.clone.events.session.ResizeMode;
import io.pureboot.clone.events.storage.StagingStatus;
import io.quarkus.hibernate.reactive.panache.PanacheEntityBase;
import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.EnumType;
import jakarta.persistence.Enumerated;
import jakarta.persistence.Id;
import jakarta.persistence.Table;
import jakarta.persistence.Version;
import java.time.OffsetDateTime;
import java.util.UUID;

/** A clone session: one source disk to one or many target disks. Its targets are {@link SessionTarget} rows. */
@Entity
@Table(name = "clone_session")
public class CloneSession extends PanacheEntityBase {

    @Id
    public UUID id;

    @Column(nullable = false)
    public String name;

    @Enumerated(EnumType.STRING)
    @Column(nullable = false)
    public CloneMode mode;

    @Enumerated(EnumType.STRING)
    @Column(nullable = false)
    public SessionState state;

    @Column(name = "source_node_id", nullable = false)
    public UUID sourceNodeId;

    @Column(name = "source_disk_id", nullable = false)
    public String sourceDiskId;

    @Enumerated(EnumType.STRING)
    @Column(name = "resize_mode", nullable = false)
    public ResizeMode resizeMode;

    /** shrink_source only: repair filesystem errors the source's read-only check finds instead of stopping. */
    @Column(name = "repair_source", nullable = false)
    public boolean repairSource;

    /** The targets serve each other the chunks they wrote, in either mode (docs/swarm.md). */
    @Column(name = "swarm", nullable = false)
    public boolean swarm;

    @Enumerated(EnumType.STRING)
    @Column(name = "targets_run", nullable = false)
    public TargetsRun targetsRun;

    @Column(name = "staging_backend_id")
    public String stagingBackendId;

    @Column(name = "staging_path")
    public String stagingPath;

    @Column(name = "staging_size_bytes")
    public Long stagingSizeBytes;

    @Enumerated(EnumType.STRING)
    @Column(name = "staging_status")
    public StagingStatus stagingStatus;

    @Column(name = "image_size_bytes")
    public Long imageSizeBytes;

    @Column(name = "manifest_sha256")
    public String manifestSha256;

    @Column(name = "source_phase")
    public String sourcePhase;

    @Column(name = "source_bytes_done", nullable = false)
    public long sourceBytesDone;

    @Column(name = "source_bytes_total", nullable = false)
    public long sourceBytesTotal;

    @Column(name = "source_rate", nullable = false)
    public long sourceRate;

    @Column(name = "source_last_seen_at")
    public OffsetDateTime sourceLastSeenAt;

    /** Direct mode: the source's address, written into its certificate's subject alternative names. */
    @Column(name = "direct_address")
    public String directAddress;

    /** Direct mode: the port the source listens on, once it said so; targets are armed then. */
    @Column(name = "direct_port")
    public Integer directPort;

    @Column(name = "failure_reason")
    public String failureReason;

    @Column(name = "created_at", nullable = false)
    public OffsetDateTime createdAt;

    @Column(name = "updated_at", nullable = false)
    public OffsetDateTime updatedAt;

    @Version
    public long version;
}
