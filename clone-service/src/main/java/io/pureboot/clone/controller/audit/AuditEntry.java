package io.pureboot.clone.controller.audit;

import io.quarkus.hibernate.reactive.panache.PanacheEntityBase;
import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.Id;
import jakarta.persistence.Table;
import java.time.OffsetDateTime;
import java.util.UUID;

/** One event of any topic, kept for the audit trail exactly as it travelled. */
@Entity
@Table(name = "audit_entry")
public class AuditEntry extends PanacheEntityBase {

    @Id
    @Column(name = "event_id")
    public UUID eventId;

    @Column(nullable = false)
    public String topic;

    @Column(name = "event_type", nullable = false)
    public String eventType;

    @Column(nullable = false)
    public String subject;

    @Column(nullable = false)
    public String source;

    @Column(name = "event_time", nullable = false)
    public OffsetDateTime eventTime;

    /** The event's data as JSON. */
    @Column(nullable = false)
    public String data;

    /** Who caused the event (an operator's or a node's name), or null when no request did. */
    @Column(name = "actor_subject")
    public String actorSubject;

    /** The id of the API key the actor signed in with, if any. */
    @Column(name = "actor_key_id")
    public String actorKeyId;

    /** The actor's role: viewer, operator, admin or node. */
    @Column(name = "actor_role")
    public String actorRole;
}
