package io.pureboot.clone.controller.boot;

import io.quarkus.hibernate.reactive.panache.PanacheEntityBase;
import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.Id;
import jakarta.persistence.Table;
import java.time.OffsetDateTime;
import java.util.UUID;

/**
 * A boot ticket: minted with a node's boot script for one node, session and role, stored as its hash, traded once for
 * a node token ({@link BootTickets}). Kept after its use so that a replay is told apart from a guess.
 */
@Entity
@Table(name = "boot_ticket")
public class BootTicket extends PanacheEntityBase {

    @Id
    @Column(name = "ticket_hash")
    public String ticketHash;

    /** The session, or null for an inventory ticket. */
    @Column(name = "session_id")
    public UUID sessionId;

    @Column(name = "node_id", nullable = false)
    public UUID nodeId;

    @Column(nullable = false)
    public String role;

    @Column(name = "expires_at", nullable = false)
    public OffsetDateTime expiresAt;

    /** When it was traded; null while it is unused. */
    @Column(name = "used_at")
    public OffsetDateTime usedAt;

    /** The hash of the attempt value of its trade (a retry of the same trade is answered again); null: none sent. */
    @Column(name = "attempt_hash")
    public String attemptHash;
}
