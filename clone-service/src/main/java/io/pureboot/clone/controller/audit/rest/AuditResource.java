package io.pureboot.clone.controller.audit.rest;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import io.pureboot.clone.controller.audit.AuditEntry;
import io.pureboot.clone.controller.security.Roles;
import io.pureboot.clone.events.EventCodec;
import io.pureboot.clone.events.validation.PlainText;
import io.pureboot.clone.platform.rest.ApiException;
import io.quarkus.hibernate.reactive.panache.common.WithSession;
import io.smallrye.mutiny.Uni;
import jakarta.annotation.security.RolesAllowed;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.MediaType;
import java.time.OffsetDateTime;
import java.util.List;
import java.util.UUID;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;

@Path("/api/v1/audit")
@Produces(MediaType.APPLICATION_JSON)
@Tag(name = "Audit", description = "Every event of every topic, by session")
public class AuditResource {

    /** One step of a session's timeline. */
    public record AuditView(UUID eventId, String topic, String type, String source, OffsetDateTime time, JsonNode data) {
    }

    @GET
    @WithSession
    @RolesAllowed({Roles.ADMIN, Roles.VIEWER})
    @Operation(summary = "A session's timeline", description = "Every event about the session, oldest first.")
    public Uni<List<AuditView>> timeline(@QueryParam("session") @PlainText String session) {
        if (session == null || session.isBlank()) {
            return Uni.createFrom().failure(ApiException.badRequest("session", "is required"));
        }
        UUID sessionId;
        try {
            sessionId = UUID.fromString(session.strip());
        } catch (IllegalArgumentException e) {
            return Uni.createFrom().failure(ApiException.badRequest("session", "must be a session id (a UUID)"));
        }
        // Events carry ids as text (the events module's contract): the subject is the session id's canonical form.
        return AuditEntry.<AuditEntry>list("subject = ?1 order by eventTime, eventId", sessionId.toString())
                .map(entries -> entries.stream().map(AuditResource::view).toList());
    }

    private static AuditView view(AuditEntry entry) {
        try {
            return new AuditView(entry.eventId, entry.topic, entry.eventType, entry.source, entry.eventTime,
                    EventCodec.mapper().readTree(entry.data));
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("audit entry " + entry.eventId + " is unreadable", e);
        }
    }
}
