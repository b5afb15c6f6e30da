package io.pureboot.clone.controller.progress;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;
import java.time.Duration;

/** Live progress: how often a stream may be re-read, and how the cross-replica listener reconnects. */
@ConfigMapping(prefix = "pureboot.clone.progress")
public interface ProgressConfig {

    /**
     * The least time between two updates of one stream. Changes within it are coalesced into one re-read after it,
     * so a stream shows at most a few updates per second however fast reports arrive, and always ends on the latest.
     */
    @WithDefault("PT0.25S")
    Duration minInterval();

    /** The first wait before the listener reconnects to PostgreSQL after its connection dropped; doubled per failure. */
    @WithDefault("PT0.5S")
    Duration reconnectFirst();

    /** The longest wait between two reconnection attempts of the listener. */
    @WithDefault("PT10S")
    Duration reconnectMax();
}
