package org.cinelab.testing;

import org.junit.jupiter.api.Test;
import org.opentest4j.AssertionFailedError;
import org.opentest4j.TestAbortedException;

import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertDoesNotThrow;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

/** Missing reference data skips a test in a user's clone and fails it in CI. */
class SharedDataTest {
    @Test
    void missingDataSkipsOutsideCi() {
        TestAbortedException e = assertThrows(TestAbortedException.class,
                () -> SharedData.assumePresent(false, SharedData.SKIP, Map.of()));
        assertEquals("Assumption failed: " + SharedData.SKIP, e.getMessage());
        assertThrows(TestAbortedException.class, () -> SharedData.assumePresent(false, SharedData.SKIP, Map.of("CI", "false")));
    }

    @Test
    void missingDataFailsUnderCi() {
        AssertionFailedError e = assertThrows(AssertionFailedError.class,
                () -> SharedData.assumePresent(false, "../shared/data/ml-100k not present: skipping", Map.of("CI", "true")));
        assertEquals("../shared/data/ml-100k not present, and CI=true: in CI every test runs, so the data must be there (see .ci/run)",
                e.getMessage());
    }

    @Test
    void presentDataRunsEverywhere() {
        assertDoesNotThrow(() -> SharedData.assumePresent(true, SharedData.SKIP, Map.of("CI", "true")));
        assertDoesNotThrow(() -> SharedData.assumePresent(true, SharedData.SKIP, Map.of()));
    }
}
