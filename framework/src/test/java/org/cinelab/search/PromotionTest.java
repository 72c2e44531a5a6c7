package org.cinelab.search;

import org.cinelab.spec.ExperimentSpec.Mode;
import org.junit.jupiter.api.Test;

import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;

class PromotionTest {

    private static final List<TrialOutcome> RUNG = List.of(
            TrialOutcome.of("t004", 0.91),
            TrialOutcome.of("t001", 0.95),
            TrialOutcome.of("t003", Double.NaN),
            TrialOutcome.failure("t002"),
            TrialOutcome.of("t005", 0.88),
            TrialOutcome.of("t006", 0.97));

    @Test
    void theBestKeepContinueForAMetricToMinimise() {
        assertEquals(List.of("t005", "t004"), Promotion.survivors(RUNG, 2, Mode.MIN));
    }

    @Test
    void theBestKeepContinueForAMetricToMaximise() {
        assertEquals(List.of("t006", "t001"), Promotion.survivors(RUNG, 2, Mode.MAX));
    }

    @Test
    void failedTrialsAndNaNMetricsAreNeverPromotedEvenWhenPlacesRemain() {
        assertEquals(List.of("t005", "t004", "t001", "t006"), Promotion.survivors(RUNG, 6, Mode.MIN));
    }

    @Test
    void aFailedTrialIsNotPromotedWhateverMetricItCarries() {
        List<TrialOutcome> rung = List.of(new TrialOutcome("t001", 0.1, true), TrialOutcome.of("t002", 0.5));

        assertEquals(List.of("t002"), Promotion.survivors(rung, 1, Mode.MIN));
    }

    @Test
    void tiesAreBrokenByTrialId() {
        List<TrialOutcome> rung = List.of(
                TrialOutcome.of("t010", 0.5), TrialOutcome.of("t002", 0.5), TrialOutcome.of("t007", 0.5));

        assertEquals(List.of("t002", "t007"), Promotion.survivors(rung, 2, Mode.MIN));
        assertEquals(List.of("t002", "t007"), Promotion.survivors(rung, 2, Mode.MAX));
    }
}
