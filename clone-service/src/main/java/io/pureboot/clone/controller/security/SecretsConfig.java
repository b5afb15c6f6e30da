package io.pureboot.clone.controller.security;

import io.smallrye.config.ConfigMapping;
import java.util.List;
import java.util.Optional;

/** The keys clone-service seals its stored secrets with (today: the direct-mode CA's private key). */
@ConfigMapping(prefix = "pureboot.clone.secrets")
public interface SecretsConfig {

    /**
     * The AES-256 key that seals, 32 bytes in base64 ({@code PUREBOOT_CLONE_SECRET_KEY}; a Kubernetes Secret in
     * production). It must stay the same for the life of the database: what it sealed opens with no other key.
     */
    String key();

    /** Former keys, which still open what they sealed after a rotation. */
    Optional<List<String>> retiredKeys();
}
