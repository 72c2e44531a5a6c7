package org.cinelab.tracking.rest;

import java.time.Duration;

/**
 * How long CineLab keeps trying a server that is unreachable or answers 5xx: {@code maxAttempts}
 * tries in total, waiting {@code initialDelay}, then twice as long each time up to {@code maxDelay}.
 * After that the server counts as down and logging goes to the local spool.
 */
public record RetryPolicy(int maxAttempts, Duration initialDelay, Duration maxDelay) {
    /** About 1.5 minutes of patience: 1, 2, 4, 8, 16, 30, 30 s between 8 attempts. */
    public static final RetryPolicy DEFAULT = new RetryPolicy(8, Duration.ofSeconds(1), Duration.ofSeconds(30));

    public RetryPolicy {
        if (maxAttempts < 1) throw new IllegalArgumentException("maxAttempts must be >= 1, got " + maxAttempts);
        if (initialDelay.isNegative() || maxDelay.compareTo(initialDelay) < 0) {
            throw new IllegalArgumentException("need 0 <= initialDelay <= maxDelay, got " + initialDelay + ", " + maxDelay);
        }
    }

    /** The pause before attempt {@code attempt + 1} (attempts count from 1). */
    Duration delayAfter(int attempt) {
        long ms = initialDelay.toMillis();
        for (int i = 1; i < attempt && ms < maxDelay.toMillis(); i++) ms *= 2;
        return Duration.ofMillis(Math.min(ms, maxDelay.toMillis()));
    }
}
