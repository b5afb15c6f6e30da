package io.pureboot.clone.storage.staging.service;

import java.util.UUID;

/** Session ids arriving as text at an edge of the service (a path parameter). */
final class SessionIds {

    private SessionIds() {
    }

    /** The id, or null when the text is no UUID: such a session cannot exist here. */
    static UUID parseOrNull(String text) {
        if (text == null) {
            return null;
        }
        try {
            return UUID.fromString(text);
        } catch (IllegalArgumentException e) {
            return null;
        }
    }
}
