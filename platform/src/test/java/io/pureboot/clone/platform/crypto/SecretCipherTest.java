package io.pureboot.clone.platform.crypto;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.Base64;
import java.util.List;
import org.junit.jupiter.api.Test;

class SecretCipherTest {

    private static final String KEY = Base64.getEncoder().encodeToString(new byte[32]);
    private static final String OTHER_KEY = Base64.getEncoder().encodeToString("another-32-byte-key-for-the-test".getBytes());

    @Test
    void sealsAndOpensWithTheSameContext() {
        SecretCipher cipher = cipher(KEY);
        String sealed = cipher.seal("chap-secret-123", "storage_backend:1:iscsi_password");

        assertThat(sealed).startsWith("v1:").doesNotContain("chap-secret-123");
        assertThat(cipher.seal("chap-secret-123", "storage_backend:1:iscsi_password")).isNotEqualTo(sealed);
        assertThat(cipher.open(sealed, "storage_backend:1:iscsi_password")).isEqualTo("chap-secret-123");
        assertThat(cipher.seal(null, "x")).isNull();
        assertThat(cipher.open(null, "x")).isNull();
    }

    @Test
    void aValueCopiedToAnotherRecordDoesNotOpen() {
        SecretCipher cipher = cipher(KEY);
        String sealed = cipher.seal("chap-secret-123", "storage_backend:1:iscsi_password");

        assertThatThrownBy(() -> cipher.open(sealed, "storage_backend:2:iscsi_password"))
                .isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("does not open")
                .hasMessageNotContaining("chap-secret-123");
    }

    @Test
    void aRetiredKeyStillOpensWhatItSealed() {
        String sealedWithOld = cipher(OTHER_KEY).seal("old-secret", "ctx");

        assertThat(cipher(KEY, OTHER_KEY).open(sealedWithOld, "ctx")).isEqualTo("old-secret");
        assertThatThrownBy(() -> cipher(KEY).open(sealedWithOld, "ctx"))
                .hasMessageContaining("neither pureboot.storage.secret-key nor a retired key");
    }

    @Test
    void aKeyOfTheWrongSizeIsRefusedWithAHint() {
        assertThatThrownBy(() -> cipher(Base64.getEncoder().encodeToString(new byte[16])))
                .hasMessageContaining("must be 32 bytes")
                .hasMessageContaining("head -c 32 /dev/urandom | base64");
        assertThatThrownBy(() -> cipher("not base64!")).hasMessageContaining("is not base64");
        assertThatThrownBy(() -> cipher(" ")).hasMessage("pureboot.storage.secret-key is not set. Make one with: "
                + "head -c 32 /dev/urandom | base64");
    }

    private static SecretCipher cipher(String key, String... retired) {
        return new SecretCipher("pureboot.storage.secret-key", key, "pureboot.storage.retired-secret-keys",
                List.of(retired));
    }
}
