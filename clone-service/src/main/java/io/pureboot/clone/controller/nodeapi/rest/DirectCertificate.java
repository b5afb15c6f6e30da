package io.pureboot.clone.controller.nodeapi.rest;

import java.time.OffsetDateTime;

/**
 * A node's direct-mode certificate: PEM certificate, its PKCS#8 private key (made for this call
 * and kept nowhere), and the CA that issued every certificate of the session.
 */
public record DirectCertificate(String certificatePem, String privateKeyPem, String caPem, OffsetDateTime notAfter) {
}
