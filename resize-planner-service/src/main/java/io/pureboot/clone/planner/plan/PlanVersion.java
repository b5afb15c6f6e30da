package io.pureboot.clone.planner.plan;

import com.fasterxml.jackson.core.JsonProcessingException;
import io.pureboot.clone.events.EventCodec;
import io.pureboot.clone.events.resize.ResizePlan;
import io.pureboot.clone.events.resize.ResizePlanPublished;
import io.quarkus.hibernate.reactive.panache.PanacheEntityBase;
import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.EnumType;
import jakarta.persistence.Enumerated;
import jakarta.persistence.Id;
import jakarta.persistence.IdClass;
import jakarta.persistence.Table;
import java.io.Serializable;
import java.io.UncheckedIOException;
import java.time.OffsetDateTime;
import java.util.UUID;

/**
 * One version of one target's plan. Versions are only ever added: the highest is the current plan
 * and the others are its history. The plan is kept as the JSON that was published.
 */
@Entity
@Table(name = "resize_plan")
@IdClass(PlanVersion.Key.class)
public class PlanVersion extends PanacheEntityBase {

    @Id
    @Column(name = "session_id")
    public UUID sessionId;

    @Id
    @Column(name = "target_node_id")
    public String targetNodeId;

    @Id
    @Column(name = "target_disk_id")
    public String targetDiskId;

    @Id
    public int version;

    @Enumerated(EnumType.STRING)
    @Column(nullable = false)
    public ResizePlanPublished.Origin origin;

    @Column(nullable = false)
    public boolean feasible;

    @Column(nullable = false)
    public String plan;

    @Column(nullable = false)
    public String basis;

    @Column(nullable = false)
    public String options;

    @Column(name = "created_at", nullable = false)
    public OffsetDateTime createdAt;

    public ResizePlan resizePlan() {
        return read(plan, ResizePlan.class);
    }

    public PlanBasis planBasis() {
        return read(basis, PlanBasis.class);
    }

    public PlanOptions planOptions() {
        return read(options, PlanOptions.class);
    }

    public static String json(Object value) {
        try {
            return EventCodec.mapper().writeValueAsString(value);
        } catch (JsonProcessingException e) {
            throw new UncheckedIOException(e);
        }
    }

    private <T> T read(String json, Class<T> type) {
        try {
            return EventCodec.mapper().readValue(json, type);
        } catch (JsonProcessingException e) {
            throw new UncheckedIOException("stored " + type.getSimpleName() + " of session " + sessionId + ", target "
                    + targetNodeId + ", version " + version + " is unreadable", e);
        }
    }

    /** Composite key: session, target node and disk, version. */
    public record Key(UUID sessionId, String targetNodeId, String targetDiskId, int version) implements Serializable {
    }
}
