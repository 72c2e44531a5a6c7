package org.cinelab.spark.executor;

import org.junit.jupiter.api.Test;

import java.io.IOException;

import static org.junit.jupiter.api.Assertions.*;

class TaskOutcomeTest {
    private static final TaskAttempt FIRST = new TaskAttempt(3, 0, 0, 17, "1", "host");

    @Test
    void aModelExceptionBecomesAFailedOutcomeWithItsMessage() throws IOException {
        TaskOutcome<String> o = TaskOutcome.capture(FIRST, () -> {
            throw new IllegalArgumentException("factors must be at least 1");
        });
        assertTrue(o.isFailed());
        assertEquals("factors must be at least 1", o.failure());
        assertSame(FIRST, o.attempt());
    }

    @Test
    void anIoFailureIsThrownSoSparkRetriesTheTask() {
        IOException e = assertThrows(IOException.class, () -> TaskOutcome.capture(FIRST, () -> {
            throw new IOException("state dir unreachable");
        }));
        assertEquals("state dir unreachable", e.getMessage());
    }

    @Test
    void aResultIsReturned() throws IOException {
        assertEquals("rmse 0.93", TaskOutcome.capture(FIRST, () -> "rmse 0.93").value());
        assertFalse(new TaskAttempt(3, 0, 0, 17, "1", "host").isRetry());
        assertTrue(new TaskAttempt(3, 0, 1, 18, "2", "host").isRetry());
    }
}
