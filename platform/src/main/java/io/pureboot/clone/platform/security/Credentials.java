package io.pureboot.clone.platform.security;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;

/** How the kinds of bearer credential are told apart, and how a secret is hashed to be stored or cached. */
public final class Credentials {

    /** Prefix of operator API keys. */
    public static final String API_KEY_PREFIX = "pbk_";
    /** Prefix of node tokens (clone-service's node API only). */
    public static final String NODE_TOKEN_PREFIX = "pbn_";
    /** The JWT claim that names the API key a token was issued for (its id). */
    public static final String KEY_ID_CLAIM = "pureboot_key_id";

    private Credentials() {
    }

    /**
     * SHA-256 in hex. Keys and tokens carry 256 random bits, so a plain hash is the right one for them (no salt or
     * stretching needed: there is nothing to guess).
     */
    public static String hash(String secret) {
        try {
            byte[] digest = MessageDigest.getInstance("SHA-256").digest(secret.getBytes(StandardCharsets.UTF_8));
            return HexFormat.of().formatHex(digest);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is missing from this JVM", e);
        }
    }
}
