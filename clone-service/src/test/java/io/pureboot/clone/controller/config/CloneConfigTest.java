package io.pureboot.clone.controller.config;

import static org.assertj.core.api.Assertions.assertThat;

import io.smallrye.config.SmallRyeConfig;
import io.smallrye.config.SmallRyeConfigBuilder;
import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.Test;

/** The defaults live in CloneConfig alone, and a default naming an environment variable falls back to its own. */
class CloneConfigTest {

    @Test
    void defaultsComeFromTheMappingAndExpandTheirEnvironmentVariables() {
        SmallRyeConfig config = new SmallRyeConfigBuilder()
                .addDefaultInterceptors()
                .withMapping(CloneConfig.class)
                .withDefaultValue("pureboot.clone.secrets.key", "a-key")
                .withDefaultValue("PUREBOOT_NODE_SILENCE", "PT45S")
                .build();
        CloneConfig clone = config.getConfigMapping(CloneConfig.class);

        assertThat(clone.boot().serverUrl()).isEqualTo("http://127.0.0.1:8080");
        assertThat(clone.deadlines().silence()).isEqualTo(Duration.ofSeconds(45));
        assertThat(clone.deadlines().boot()).isEqualTo(Duration.ofMinutes(30));
        assertThat(clone.deadlines().checkEvery()).isEqualTo(Duration.ofSeconds(5));
        assertThat(clone.bootstrap().adminKeyFile()).isEqualTo(Path.of("admin-api-key"));
        assertThat(clone.storageInternalToken()).isEqualTo("dev-internal-token");
        assertThat(clone.secrets().retiredKeys()).isEmpty();
    }
}
