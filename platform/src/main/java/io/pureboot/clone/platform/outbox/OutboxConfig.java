package io.pureboot.clone.platform.outbox;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;
import java.time.Duration;

/** Settings of the outbox relay and the CloudEvents source of the service that carries it. */
@ConfigMapping(prefix = "pureboot.outbox")
public interface OutboxConfig {

    /** The CloudEvents {@code source} of every event this service emits, e.g. {@code /pureboot/clone-service}. */
    String source();

    /** How many pending events one relay pass publishes at most. */
    @WithDefault("200")
    int batchSize();

    /** How long published rows are kept (for audit and debugging) before the relay deletes them. */
    @WithDefault("P7D")
    Duration sentRetention();
}
