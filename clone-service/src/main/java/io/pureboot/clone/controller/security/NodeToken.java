package io.pureboot.clone.controller.security;

import io.quarkus.hibernate.reactive.panache.PanacheEntityBase;
import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.Id;
import jakarta.persistence.Table;
import java.time.OffsetDateTime;
import java.util.UUID;

/**
 * A token a node's agent presents: minted for one node, one session and one role when the node
 * boots into that role, stored as its hash, and void when the session ends or it expires.
 */
@Entity
@Table(name = "node_token")
public class NodeToken extends PanacheEntityBase {

    @Id
    @Column(name = "token_hash")
    public String tokenHash;

    /** The session, or null for an inventory token. */
    @Column(name = "session_id")
    public UUID sessionId;

    @Column(name = "node_id", nullable = false)
    public UUID nodeId;

    @Column(nullable = false)
    public String role;

    @Column(name = "expires_at", nullable = false)
    public OffsetDateTime expiresAt;
}
