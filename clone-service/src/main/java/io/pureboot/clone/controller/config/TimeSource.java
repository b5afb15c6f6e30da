package io.pureboot.clone.controller.config;

import jakarta.enterprise.context.Dependent;
import jakarta.enterprise.inject.Produces;
import jakarta.inject.Singleton;
import java.time.Clock;

/**
 * The one clock of clone-service: deadlines, token expiry and every timestamp read it, so that tests move time
 * instead of sleeping (they replace this bean with a clock they set).
 */
@Dependent
public class TimeSource {

    @Produces
    @Singleton
    Clock clock() {
        return Clock.systemUTC();
    }
}
