package io.pureboot.clone.controller.session;

import io.quarkus.hibernate.reactive.panache.PanacheEntityBase;
import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.EnumType;
import jakarta.persistence.Enumerated;
import jakarta.persistence.Id;
import jakarta.persistence.IdClass;
import jakarta.persistence.Table;
import java.io.Serializable;
import java.time.OffsetDateTime;
import java.util.UUID;

/** One target node and disk of a session, with its progress and its latest resize plan. */
@Entity
@Table(name = "session_target")
@IdClass(SessionTarget.Key.class)
public class SessionTarget extends PanacheEntityBase {

    @Id
    @Column(name = "session_id")
    public UUID sessionId;

    @Id
    @Column(name = "node_id")
    public UUID nodeId;

    @Column(name = "disk_id", nullable = false)
    public String diskId;

    @Enumerated(EnumType.STRING)
    @Column(nullable = false)
    public TargetState state;

    public String phase;

    @Column(name = "bytes_done", nullable = false)
    public long bytesDone;

    @Column(name = "bytes_total", nullable = false)
    public long bytesTotal;

    @Column(nullable = false)
    public long rate;

    @Column(name = "last_seen_at")
    public OffsetDateTime lastSeenAt;

    /** When the target entered its state: an armed target's boot deadline counts from it. */
    @Column(name = "state_changed_at")
    public OffsetDateTime stateChangedAt;

    /** The latest ResizePlan for this target as JSON, from the planner's events. */
    public String plan;

    @Column(name = "plan_version")
    public Integer planVersion;

    /** The disk the stored plan was made for: plans are keyed (session, node, disk). */
    @Column(name = "plan_disk_id")
    public String planDiskId;

    @Column(name = "failure_reason")
    public String failureReason;

    /** Where the target's swarm chunk server listens (docs/swarm.md); null until it says so. */
    @Column(name = "swarm_address")
    public String swarmAddress;

    @Column(name = "swarm_port")
    public Integer swarmPort;

    /** Composite key: session and target node. */
    public record Key(UUID sessionId, UUID nodeId) implements Serializable {
    }
}
