package io.pureboot.clone.storage.iscsi;

import static java.util.Objects.requireNonNull;

/** A CHAP user name and secret. {@link #toString()} never shows the secret. */
public record ChapCredentials(String username, String password) {

    public ChapCredentials {
        requireNonNull(username, "username is null");
        requireNonNull(password, "password is null");
    }

    @Override
    public String toString() {
        return "ChapCredentials[username=" + username + ", password=***]";
    }
}
