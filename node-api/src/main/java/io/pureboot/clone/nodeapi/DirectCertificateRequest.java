package io.pureboot.clone.nodeapi;

import io.pureboot.clone.events.validation.PlainText;

/**
 * {@code POST /api/v1/node/direct/certificate}.
 *
 * @param address the source's IP address (required for the source, written into its certificate's
 *     subject alternative names; ignored for targets)
 */
public record DirectCertificateRequest(@PlainText(max = 45) String address) {
}
