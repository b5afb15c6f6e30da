package io.pureboot.clone.storage.crypto;

import io.pureboot.clone.platform.crypto.SecretCipher;
import io.pureboot.clone.storage.config.StorageConfig;
import jakarta.enterprise.context.Dependent;
import jakarta.enterprise.inject.Produces;
import jakarta.inject.Singleton;
import java.util.List;

/** storage-service's cipher for CHAP passwords and SSH private keys, from its own configured keys. */
@Dependent
public final class StorageSecrets {

    @Produces
    @Singleton
    SecretCipher cipher(StorageConfig config) {
        return new SecretCipher("pureboot.storage.secret-key", config.secretKey(),
                "pureboot.storage.retired-secret-keys", config.retiredSecretKeys().orElse(List.of()));
    }
}
