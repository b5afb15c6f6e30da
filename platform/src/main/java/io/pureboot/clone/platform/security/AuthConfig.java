package io.pureboot.clone.platform.security;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;
import java.time.Duration;

/**
 * How a service authenticates operators, under {@code pureboot.auth}. JWT verification itself is configured with the
 * standard MicroProfile JWT settings ({@code mp.jwt.verify.*}, see docs/security.md).
 */
@ConfigMapping(prefix = "pureboot.auth")
public interface AuthConfig {

    /**
     * clone-service's base URL, where an API key presented to another service is exchanged for a JWT. Its default
     * ({@code PUREBOOT_AUTH_ISSUER_URL}, else http://127.0.0.1:8083) is in the platform's microprofile-config.properties,
     * since the JWKS location is derived from it.
     */
    String issuerUrl();

    /** A JWT exchanged for an API key is reused until this long before it expires, then exchanged again. */
    @WithDefault("PT30S")
    Duration renewBefore();

    /** At most this many exchanged tokens are cached (one per API key). */
    @WithDefault("1000")
    int cacheSize();
}
