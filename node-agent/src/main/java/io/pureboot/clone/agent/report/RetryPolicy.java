package io.pureboot.clone.agent.report;

import java.time.Duration;

/**
 * Exponential backoff for connection errors and 5xx answers: {@code initialDelay}, doubling up to {@code maxDelay},
 * at most {@code maxAttempts} attempts and never past {@code maxTotal} since the first. A 4xx is never retried.
 */
public record RetryPolicy(int maxAttempts, Duration initialDelay, Duration maxDelay, Duration maxTotal) {

    public RetryPolicy {
        if (maxAttempts < 1) {
            throw new IllegalArgumentException("maxAttempts must be >= 1: " + maxAttempts);
        }
        if (initialDelay.isNegative() || maxDelay.compareTo(initialDelay) < 0 || maxTotal.isNegative()) {
            throw new IllegalArgumentException("invalid delays: " + initialDelay + ", " + maxDelay + ", " + maxTotal);
        }
    }

    /** 8 attempts, 0.5 s doubling to 15 s, within 2 minutes: rides out a service restart. */
    public static RetryPolicy standard() {
        return new RetryPolicy(8, Duration.ofMillis(500), Duration.ofSeconds(15), Duration.ofMinutes(2));
    }

    /** One attempt: progress reports are queued rather than retried in place. */
    public static RetryPolicy once() {
        return new RetryPolicy(1, Duration.ZERO, Duration.ZERO, Duration.ZERO);
    }

    /** The delay before attempt {@code attempt + 1} (attempt counts from 1). */
    public Duration delayAfter(int attempt) {
        long millis = initialDelay.toMillis();
        for (int i = 1; i < attempt && millis < maxDelay.toMillis(); i++) {
            millis *= 2;
        }
        return Duration.ofMillis(Math.min(millis, maxDelay.toMillis()));
    }
}
