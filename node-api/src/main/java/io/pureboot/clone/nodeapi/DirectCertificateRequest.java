package io.pureboot.clone.nodeapi;

import io.pureboot.clone.events.validation.PlainText;
import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.Pattern;
import jakarta.validation.constraints.Size;

/**
 * {@code POST /api/v1/node/direct/certificate}: the node's certificate request. The node made its key pair itself and
 * keeps the private key; the CA signs the request's public key once it has checked the request's signature.
 *
 * @param address the source's IP address (required for the source, written into its certificate's
 *     subject alternative names; ignored for targets)
 * @param csrPem a PKCS#10 certificate request, PEM, signed with the node's new EC P-256 key; the CA takes only its
 *     public key (names and extensions come from the session, never from the request)
 */
public record DirectCertificateRequest(
        @PlainText(max = 45) String address,
        @NotBlank(message = "is required")
        @Size(max = 4096, message = "must be at most 4096 characters")
        @Pattern(regexp = "-----BEGIN CERTIFICATE REQUEST-----[A-Za-z0-9+/=\\r\\n]+-----END CERTIFICATE REQUEST-----\\s*",
                message = "must be one PEM certificate request") String csrPem) {
}
