package org.cinelab.spark.executor;

import java.io.IOException;
import java.io.Serializable;

/**
 * A task's result, returned rather than thrown. A model that fails (a bad configuration, a
 * diverging loss, an exception from its code) fails the same way on every machine: the task returns
 * {@link #failed} and the trial is recorded FAILED once, instead of Spark retrying it
 * {@code spark.task.maxFailures} times. Infrastructure failures (I/O: storage, tracking server) and
 * JVM errors (out of memory) are thrown, so Spark retries them elsewhere.
 *
 * @param value   the result, null when failed
 * @param failure the reason, null when succeeded
 * @param attempt the attempt that produced it
 */
public record TaskOutcome<T extends Serializable>(T value, String failure, TaskAttempt attempt) implements Serializable {

    /** Work that may throw anything. */
    @FunctionalInterface
    public interface Work<T> {
        T run() throws IOException;
    }

    public static <T extends Serializable> TaskOutcome<T> succeeded(T value, TaskAttempt attempt) {
        return new TaskOutcome<>(value, null, attempt);
    }

    public static <T extends Serializable> TaskOutcome<T> failed(String reason, TaskAttempt attempt) {
        return new TaskOutcome<>(null, reason, attempt);
    }

    /**
     * Runs {@code work}: a {@link RuntimeException} becomes a failed outcome (with its message);
     * {@link IOException}s and {@link Error}s propagate, for Spark to retry.
     */
    public static <T extends Serializable> TaskOutcome<T> capture(TaskAttempt attempt, Work<T> work) throws IOException {
        try {
            return succeeded(work.run(), attempt);
        } catch (RuntimeException e) {
            String message = e.getMessage() != null && !e.getMessage().isBlank() ? e.getMessage()
                    : "failed without a message" + (e.getStackTrace().length > 0 ? " at " + e.getStackTrace()[0] : "");
            return failed(message, attempt);
        }
    }

    public boolean isFailed() { return failure != null; }
}
