package io.pureboot.clone.controller.security.token;

import io.quarkus.hibernate.reactive.panache.PanacheEntityBase;
import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.Id;
import jakarta.persistence.Table;
import java.time.OffsetDateTime;

/** A key clone-service signs operators' JWTs with; its private half sealed at rest. */
@Entity
@Table(name = "signing_key")
public class SigningKey extends PanacheEntityBase {

    @Id
    public String kid;

    @Column(name = "public_jwk", nullable = false)
    public String publicJwk;

    @Column(name = "private_jwk_sealed", nullable = false)
    public String privateJwkSealed;

    @Column(name = "created_at", nullable = false)
    public OffsetDateTime createdAt;

    @Column(name = "activates_at", nullable = false)
    public OffsetDateTime activatesAt;
}
