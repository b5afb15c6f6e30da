package io.pureboot.clone.platform.crypto;

import static java.nio.charset.StandardCharsets.UTF_8;

import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import javax.crypto.Cipher;
import javax.crypto.SecretKey;
import javax.crypto.spec.GCMParameterSpec;
import javax.crypto.spec.SecretKeySpec;

/**
 * Seals secrets for storage in a service's own schema with AES-256-GCM (storage-service: CHAP passwords and
 * SSH private keys; clone-service: the direct-mode CA's private key). A sealed value is
 * {@code v1:<key id>:<base64 of nonce and ciphertext with tag>}; the key id (the first 8 hex digits
 * of the key's SHA-256) says which key opens it, so keys can be rotated: the new key seals, retired
 * keys still open. The caller passes a context (e.g. the row and column) that is bound into the
 * tag as associated data, so a sealed value copied to another row does not open there. Each service makes
 * one from its own configured keys (a Kubernetes Secret in production).
 */
public final class SecretCipher {

    private static final String VERSION = "v1";
    private static final int NONCE_BYTES = 12;
    private static final int TAG_BITS = 128;

    private final SecureRandom random = new SecureRandom();
    private final String currentKeyId;
    private final Map<String, SecretKey> keys;
    private final String keySetting;

    /**
     * @param keySetting the setting that holds the current key, named in errors (e.g. pureboot.storage.secret-key)
     * @param currentKey the key that seals: 32 bytes, base64
     * @param retiredSetting the setting that holds the retired keys, named in errors
     * @param retiredKeys keys that only open what they sealed before a rotation
     */
    public SecretCipher(String keySetting, String currentKey, String retiredSetting, List<String> retiredKeys) {
        this.keySetting = keySetting;
        Map<String, SecretKey> all = new LinkedHashMap<>();
        SecretKey current = key(currentKey, keySetting);
        currentKeyId = keyId(current);
        all.put(currentKeyId, current);
        for (int index = 0; index < retiredKeys.size(); index++) {
            SecretKey key = key(retiredKeys.get(index), retiredSetting + "[" + index + "]");
            all.putIfAbsent(keyId(key), key);
        }
        keys = Map.copyOf(all);
    }

    /** Seals {@code plaintext}; null stays null. */
    public String seal(String plaintext, String context) {
        if (plaintext == null) {
            return null;
        }
        byte[] nonce = new byte[NONCE_BYTES];
        random.nextBytes(nonce);
        try {
            Cipher cipher = Cipher.getInstance("AES/GCM/NoPadding");
            cipher.init(Cipher.ENCRYPT_MODE, keys.get(currentKeyId), new GCMParameterSpec(TAG_BITS, nonce));
            cipher.updateAAD(context.getBytes(UTF_8));
            byte[] sealed = cipher.doFinal(plaintext.getBytes(UTF_8));
            byte[] out = new byte[NONCE_BYTES + sealed.length];
            System.arraycopy(nonce, 0, out, 0, NONCE_BYTES);
            System.arraycopy(sealed, 0, out, NONCE_BYTES, sealed.length);
            return VERSION + ":" + currentKeyId + ":" + Base64.getEncoder().encodeToString(out);
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("AES-GCM is not available", e);
        }
    }

    /** Opens what {@link #seal} made with the same context; null stays null. The error never contains the secret. */
    public String open(String sealed, String context) {
        if (sealed == null) {
            return null;
        }
        String[] parts = sealed.split(":", 3);
        if (parts.length != 3 || !VERSION.equals(parts[0])) {
            throw new SealedValueException("sealed value for " + context + " is not in the v1 format", null);
        }
        SecretKey key = keys.get(parts[1]);
        if (key == null) {
            throw new SealedValueException("sealed value for " + context + " was sealed with key " + parts[1]
                    + ", which is neither " + keySetting + " nor a retired key", null);
        }
        try {
            byte[] in = Base64.getDecoder().decode(parts[2]);
            Cipher cipher = Cipher.getInstance("AES/GCM/NoPadding");
            cipher.init(Cipher.DECRYPT_MODE, key, new GCMParameterSpec(TAG_BITS, in, 0, NONCE_BYTES));
            cipher.updateAAD(context.getBytes(UTF_8));
            return new String(cipher.doFinal(in, NONCE_BYTES, in.length - NONCE_BYTES), UTF_8);
        } catch (GeneralSecurityException | IllegalArgumentException e) {
            throw new SealedValueException("sealed value for " + context + " does not open: it was altered or"
                    + " belongs to another record", e);
        }
    }

    /** Key ids of the configured keys, current first; for the startup log. */
    public List<String> keyIds() {
        List<String> ids = new ArrayList<>();
        ids.add(currentKeyId);
        keys.keySet().stream().filter(id -> !id.equals(currentKeyId)).forEach(ids::add);
        return ids;
    }

    /** A stored secret that the configured keys cannot open. Its message never holds the secret. */
    public static final class SealedValueException extends IllegalStateException {

        SealedValueException(String message, Throwable cause) {
            super(message, cause);
        }
    }

    private static SecretKey key(String base64, String property) {
        if (base64 == null || base64.isBlank()) {
            throw new IllegalStateException(property + " is not set. Make one with: head -c 32 /dev/urandom | base64");
        }
        byte[] bytes;
        try {
            bytes = Base64.getDecoder().decode(base64.strip());
        } catch (IllegalArgumentException e) {
            throw new IllegalStateException(property + " is not base64", e);
        }
        if (bytes.length != 32) {
            throw new IllegalStateException(property + " must be 32 bytes (AES-256), base64-encoded; it has "
                    + bytes.length + " bytes. Make one with: head -c 32 /dev/urandom | base64");
        }
        return new SecretKeySpec(bytes, "AES");
    }

    private static String keyId(SecretKey key) {
        try {
            byte[] digest = MessageDigest.getInstance("SHA-256").digest(key.getEncoded());
            return HexFormat.of().formatHex(digest, 0, 4);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is not available", e);
        }
    }
}
