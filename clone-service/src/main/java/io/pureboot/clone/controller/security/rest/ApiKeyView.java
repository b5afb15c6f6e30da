package io.pureboot.clone.controller.security.rest;

import java.time.OffsetDateTime;
import java.util.UUID;

/**
 * An API key as listed. {@code key} is filled only in the answer that creates it: the service
 * keeps a hash and can never show the key again. {@code id} is the key id that tokens issued for it and the audit
 * name.
 */
public record ApiKeyView(UUID id, String name, String role, OffsetDateTime createdAt, String key) {
}
