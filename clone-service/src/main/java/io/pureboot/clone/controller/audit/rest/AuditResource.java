package io.pureboot.clone.controller.audit.rest;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import io.pureboot.clone.controller.audit.AuditEntry;
import io.pureboot.clone.events.EventCodec;
import io.pureboot.clone.events.validation.PlainText;
import io.pureboot.clone.platform.rest.ApiException;
import io.pureboot.clone.platform.security.Roles;
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

    /** One step of a session's timeline, with who caused it (null when no request did). */
    public record AuditView(UUID eventId, String topic, String type, String source, OffsetDateTime time, JsonNode data,
            Actor actor) {
    }

    /** Who caused an event: the subject, the id of the API key it signed in with (if any) and its role. */
    public record Actor(String subject, String keyId, String role) {
    }

    private static final int ACTOR_LIMIT = 500;

    @GET
    @WithSession
    @RolesAllowed(Roles.VIEWER)
    @Operation(summary = "A session's timeline, or what one actor did", description = "session: every event about the"
            + " session, oldest first. actor (instead): the latest 500 events that subject caused, oldest first. Each"
            + " entry names its actor: operator changes are recorded with subject, key id and role.")
    public Uni<List<AuditView>> timeline(@QueryParam("session") @PlainText String session,
            @QueryParam("actor") @PlainText String actor) {
        if ((session == null || session.isBlank()) && actor != null && !actor.isBlank()) {
            return AuditEntry.<AuditEntry>find("actorSubject = ?1 order by eventTime desc, eventId desc", actor.strip())
                    .page(0, ACTOR_LIMIT).list()
                    .map(entries -> entries.reversed().stream().map(AuditResource::view).toList());
        }
        if (session == null || session.isBlank()) {
            return Uni.createFrom().failure(ApiException.badRequest("session", "is required (or actor)"));
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
                    EventCodec.mapper().readTree(entry.data), entry.actorSubject == null ? null
                            : new Actor(entry.actorSubject, entry.actorKeyId, entry.actorRole));
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("audit entry " + entry.eventId + " is unreadable", e);
        }
    }
}
