package io.pureboot.clone.planner.session;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.type.TypeReference;
import io.pureboot.clone.events.EventCodec;
import io.pureboot.clone.events.session.ResizeMode;
import io.pureboot.clone.events.session.TargetRef;
import io.pureboot.clone.planner.plan.CaptureLayout;
import io.quarkus.hibernate.reactive.panache.PanacheEntityBase;
import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.EnumType;
import jakarta.persistence.Enumerated;
import jakarta.persistence.Id;
import jakarta.persistence.Table;
import java.io.UncheckedIOException;
import java.time.OffsetDateTime;
import java.util.List;
import java.util.UUID;

/**
 * A clone session as the planner knows it from clone-service's events: which disk is the source,
 * which disks are targets, the resize mode, and the capture layout every target plan starts from.
 */
@Entity
@Table(name = "clone_session")
public class PlannedSession extends PanacheEntityBase {

    private static final TypeReference<List<TargetRef>> TARGETS = new TypeReference<>() {
    };

    @Id
    @Column(name = "session_id")
    public UUID sessionId;

    @Column(nullable = false)
    public String mode;

    @Column(name = "source_node_id")
    public String sourceNodeId;

    @Column(name = "source_disk_id")
    public String sourceDiskId;

    @Enumerated(EnumType.STRING)
    @Column(name = "resize_mode", nullable = false)
    public ResizeMode resizeMode;

    @Column(nullable = false)
    public String targets;

    @Enumerated(EnumType.STRING)
    @Column(nullable = false)
    public SessionStatus status;

    @Column(name = "capture_layout")
    public String captureLayout;

    @Column(name = "defined_at", nullable = false)
    public OffsetDateTime definedAt;

    @Column(name = "updated_at", nullable = false)
    public OffsetDateTime updatedAt;

    public List<TargetRef> targetList() {
        return read(targets, TARGETS, "targets");
    }

    public void targetList(List<TargetRef> list) {
        targets = write(list);
    }

    /** The capture layout, or null before the first analysis. */
    public CaptureLayout capture() {
        if (captureLayout == null) {
            return null;
        }
        try {
            return EventCodec.mapper().readValue(captureLayout, CaptureLayout.class);
        } catch (JsonProcessingException e) {
            throw new UncheckedIOException("stored capture layout of session " + sessionId + " is unreadable", e);
        }
    }

    public void capture(CaptureLayout layout) {
        captureLayout = layout == null ? null : write(layout);
    }

    private static String write(Object value) {
        try {
            return EventCodec.mapper().writeValueAsString(value);
        } catch (JsonProcessingException e) {
            throw new UncheckedIOException(e);
        }
    }

    private <T> T read(String json, TypeReference<T> type, String what) {
        try {
            return EventCodec.mapper().readValue(json, type);
        } catch (JsonProcessingException e) {
            throw new UncheckedIOException("stored " + what + " of session " + sessionId + " is unreadable", e);
        }
    }
}
