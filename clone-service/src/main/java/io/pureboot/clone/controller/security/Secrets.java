package io.pureboot.clone.controller.security;

import io.pureboot.clone.platform.security.Credentials;
import java.security.SecureRandom;
import java.util.Base64;

/**
 * Makes and hashes bearer secrets. Keys and tokens carry 256 random bits, so a plain SHA-256 is
 * the right hash for them (no salt or stretching needed: there is nothing to guess).
 */
public final class Secrets {

    /** Prefix of operator API keys, so that logs and support can tell the kinds apart. */
    public static final String API_KEY_PREFIX = Credentials.API_KEY_PREFIX;
    /** Prefix of node tokens. */
    public static final String NODE_TOKEN_PREFIX = Credentials.NODE_TOKEN_PREFIX;

    private static final SecureRandom RANDOM = new SecureRandom();

    private Secrets() {
    }

    public static String newSecret(String prefix) {
        byte[] bytes = new byte[32];
        RANDOM.nextBytes(bytes);
        return prefix + Base64.getUrlEncoder().withoutPadding().encodeToString(bytes);
    }

    public static String hash(String secret) {
        return Credentials.hash(secret);
    }
}
