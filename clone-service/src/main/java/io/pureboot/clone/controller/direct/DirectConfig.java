package io.pureboot.clone.controller.direct;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;
import java.time.Duration;

/** Direct mode's certificates. */
@ConfigMapping(prefix = "pureboot.clone.direct")
public interface DirectConfig {

    /**
     * How long a node certificate is valid. Short: a certificate is asked for when the agent starts,
     * and the source checks the session it names, so a late one is useless after its session anyway.
     */
    @WithDefault("PT12H")
    Duration certificateLifetime();

    /** How long the CA is valid; a new one is made only by deleting the old (all running sessions then fail). */
    @WithDefault("P3650D")
    Duration caLifetime();
}
