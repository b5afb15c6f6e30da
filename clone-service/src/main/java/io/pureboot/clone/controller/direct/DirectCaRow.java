package io.pureboot.clone.controller.direct;

import io.quarkus.hibernate.reactive.panache.PanacheEntityBase;
import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.Id;
import jakarta.persistence.Table;
import java.time.OffsetDateTime;

/**
 * The direct-mode certificate authority, made on first use. Its private key is sealed with the service's
 * secret key ({@code SecretCipher}), stays in this service's own schema (readable only by its database
 * role) and is never sent anywhere.
 */
@Entity
@Table(name = "direct_ca")
public class DirectCaRow extends PanacheEntityBase {

    /** The only row's id. */
    public static final String ID = "direct";

    /** Bound into the sealed key, so that a value copied from another column or row does not open. */
    public static final String KEY_CONTEXT = "direct_ca:" + ID + ":private_key_sealed";

    @Id
    public String id;

    @Column(name = "certificate_pem", nullable = false)
    public String certificatePem;

    /** The PKCS#8 PEM, sealed; opened with the context {@link #KEY_CONTEXT}. */
    @Column(name = "private_key_sealed", nullable = false)
    public String privateKeySealed;

    @Column(name = "created_at", nullable = false)
    public OffsetDateTime createdAt;
}
