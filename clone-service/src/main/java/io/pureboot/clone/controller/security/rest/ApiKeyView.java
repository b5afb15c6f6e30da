package io.pureboot.clone.controller.security.rest;

import java.time.OffsetDateTime;

/**
 * An API key as listed. {@code key} is filled only in the answer that creates it: the service
 * keeps a hash and can never show the key again.
 */
public record ApiKeyView(String name, String role, OffsetDateTime createdAt, String key) {
}
