package io.pureboot.clone.controller.security;

import io.quarkus.hibernate.reactive.panache.PanacheEntityBase;
import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.Id;
import jakarta.persistence.Table;
import java.time.OffsetDateTime;
import java.util.UUID;

/** An operator's API key, stored as its hash. */
@Entity
@Table(name = "api_key")
public class ApiKey extends PanacheEntityBase {

    @Id
    @Column(name = "key_hash")
    public String keyHash;

    /** The key's id: the key-id claim of the tokens issued for it, and the audit's key id. */
    @Column(nullable = false, unique = true)
    public UUID id;

    @Column(nullable = false)
    public String name;

    /** viewer, operator or admin ({@link io.pureboot.clone.platform.security.Roles}). */
    @Column(nullable = false)
    public String role;

    @Column(name = "created_at", nullable = false)
    public OffsetDateTime createdAt;
}
