package org.cinelab.search;

import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;

class PromotionTest {
    private static final Objective MIN = new Objective("rmse", Objective.Mode.MIN);
    private static final Objective MAX = new Objective("acc", Objective.Mode.MAX);

    private static TrialRecord at(String id, double value) {
        TrialRecord r = new TrialRecord(id, 0, 0, Map.of(), 0, 1);
        r.report(1, value);
        return r;
    }

    private static TrialRecord failed(String id, double value) {
        TrialRecord r = at(id, value);
        r.status(TrialRecord.Status.FAILED);
        return r;
    }

    private static final List<TrialRecord> RUNG = List.of(at("t004", 0.91), at("t001", 0.95), at("t003", Double.NaN),
            failed("t002", 0.1), at("t005", 0.88), at("t006", 0.97));

    private static List<String> survivors(List<TrialRecord> rung, int keep, Objective objective) {
        return Promotion.survivors(rung, keep, r -> r.objectiveAt(1), objective).stream().map(TrialRecord::id).toList();
    }

    @Test
    void theBestKeepContinueForAMetricToMinimise() {
        assertEquals(List.of("t005", "t004"), survivors(RUNG, 2, MIN));
    }

    @Test
    void theBestKeepContinueForAMetricToMaximise() {
        assertEquals(List.of("t006", "t001"), survivors(RUNG, 2, MAX));
    }

    @Test
    void failedTrialsAndNaNMetricsAreNeverPromotedEvenWhenPlacesRemain() {
        assertEquals(List.of("t005", "t004", "t001", "t006"), survivors(RUNG, 6, MIN));
    }

    @Test
    void tiesAreBrokenByTrialId() {
        List<TrialRecord> rung = List.of(at("t010", 0.5), at("t002", 0.5), at("t007", 0.5));

        assertEquals(List.of("t002", "t007"), survivors(rung, 2, MIN));
        assertEquals(List.of("t002", "t007"), survivors(rung, 2, MAX));
    }
}
