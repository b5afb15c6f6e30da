package io.pureboot.clone.nodeapi;

import jakarta.validation.constraints.Size;

/**
 * {@code POST /api/v1/node/direct/certificate}.
 *
 * @param address the source's IP address (required for the source, written into its certificate's
 *     subject alternative names; ignored for targets)
 */
public record DirectCertificateRequest(@Size(max = 45, message = "must be at most 45 characters") String address) {
}
