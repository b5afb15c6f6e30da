package io.pureboot.clone.nodeapi;

import static java.util.Objects.requireNonNull;

import java.time.OffsetDateTime;

/**
 * The answer of {@code POST /api/v1/node/direct/certificate}: the node's certificate for the public key of its request,
 * and the CA that issued every certificate of the session, both PEM. No private key travels: the node made its own.
 */
public record DirectCertificate(String certificatePem, String caPem, OffsetDateTime notAfter) {

    public DirectCertificate {
        requireNonNull(certificatePem, "certificate_pem is null");
        requireNonNull(caPem, "ca_pem is null");
        requireNonNull(notAfter, "not_after is null");
    }
}
