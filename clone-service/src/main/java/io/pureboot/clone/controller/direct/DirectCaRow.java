package io.pureboot.clone.controller.direct;

import io.quarkus.hibernate.reactive.panache.PanacheEntityBase;
import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.Id;
import jakarta.persistence.Table;
import java.time.OffsetDateTime;

/**
 * The direct-mode certificate authority, made on first use. Its private key stays in this service's
 * own schema (readable only by its database role) and is never sent anywhere.
 */
@Entity
@Table(name = "direct_ca")
public class DirectCaRow extends PanacheEntityBase {

    /** The only row's id. */
    public static final String ID = "direct";

    @Id
    public String id;

    @Column(name = "certificate_pem", nullable = false)
    public String certificatePem;

    @Column(name = "private_key_pem", nullable = false)
    public String privateKeyPem;

    @Column(name = "created_at", nullable = false)
    public OffsetDateTime createdAt;
}
