package io.pureboot.clone.controller.security;

import io.pureboot.clone.controller.config.CloneConfig;
import io.pureboot.clone.platform.crypto.SecretCipher;
import jakarta.enterprise.context.Dependent;
import jakarta.enterprise.inject.Produces;
import jakarta.inject.Singleton;
import java.util.List;

/** clone-service's cipher for secrets at rest, from its own configured keys. */
@Dependent
public final class CloneSecrets {

    @Produces
    @Singleton
    SecretCipher cipher(CloneConfig config) {
        return new SecretCipher("pureboot.clone.secrets.key", config.secrets().key(), "pureboot.clone.secrets.retired-keys",
                config.secrets().retiredKeys().orElse(List.of()));
    }
}
