package io.pureboot.clone.controller.security;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.SecureRandom;
import java.util.Base64;
import java.util.HexFormat;

/**
 * Makes and hashes bearer secrets. Keys and tokens carry 256 random bits, so a plain SHA-256 is
 * the right hash for them (no salt or stretching needed: there is nothing to guess).
 */
public final class Secrets {

    /** Prefix of operator API keys, so that logs and support can tell the kinds apart. */
    public static final String API_KEY_PREFIX = "pbk_";
    /** Prefix of node tokens. */
    public static final String NODE_TOKEN_PREFIX = "pbn_";

    private static final SecureRandom RANDOM = new SecureRandom();

    private Secrets() {
    }

    public static String newSecret(String prefix) {
        byte[] bytes = new byte[32];
        RANDOM.nextBytes(bytes);
        return prefix + Base64.getUrlEncoder().withoutPadding().encodeToString(bytes);
    }

    public static String hash(String secret) {
        try {
            byte[] digest = MessageDigest.getInstance("SHA-256").digest(secret.getBytes(StandardCharsets.UTF_8));
            return HexFormat.of().formatHex(digest);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is missing from this JVM", e);
        }
    }
}
