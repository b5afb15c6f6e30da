package io.pureboot.clone.nodeapi;

import static java.util.Objects.requireNonNull;

import java.time.OffsetDateTime;

/**
 * The answer of {@code POST /api/v1/node/direct/certificate}: the node's certificate, its PKCS#8 private key
 * (made for this call and kept nowhere), and the CA that issued every certificate of the session, all PEM.
 */
public record DirectCertificate(String certificatePem, String privateKeyPem, String caPem, OffsetDateTime notAfter) {

    public DirectCertificate {
        requireNonNull(certificatePem, "certificate_pem is null");
        requireNonNull(privateKeyPem, "private_key_pem is null");
        requireNonNull(caPem, "ca_pem is null");
        requireNonNull(notAfter, "not_after is null");
    }

    @Override
    public String toString() {
        return "DirectCertificate[notAfter=" + notAfter + ", privateKeyPem=***]";
    }
}
