package org.cinelab.search;

import org.junit.jupiter.api.Test;

import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

class EarlyStoppingTest {
    private static final Objective NDCG = new Objective("ndcg", Objective.Mode.MAX);
    private static final Objective LOSS = new Objective("loss", Objective.Mode.MIN);

    /** The epoch early stopping stops at when fed the values one epoch at a time, or 0. */
    private static int stopEpoch(EarlyStopping es, Objective o, double... values) {
        for (int e = 1; e <= values.length; e++) if (es.shouldStop(values, e, o)) return e;
        return 0;
    }

    @Test
    void anImprovementMustBeatTheBestByMoreThanMinDeltaInTheObjectivesDirection() {
        EarlyStopping es = new EarlyStopping(2, 0.01);
        double[] v = {0.30, 0.305, 0.32, 0.325, 0.329, 0.5};
        // 0.305 is within min_delta of 0.30; 0.32 improves; 0.325 and 0.329 do not: stop at epoch 5, best 3.
        assertEquals(5, stopEpoch(es, NDCG, v));
        assertEquals(3, es.bestEpoch(v, 5, NDCG));
        assertEquals(6, es.bestEpoch(v, 6, NDCG));
    }

    @Test
    void withZeroMinDeltaAnyStrictImprovementCountsAndATieDoesNot() {
        EarlyStopping es = new EarlyStopping(1, 0);
        assertEquals(3, stopEpoch(es, LOSS, 0.9, 0.8, 0.8, 0.7));
        assertEquals(0, stopEpoch(es, LOSS, 0.9, 0.8, 0.79));
    }

    @Test
    void aNonFiniteValueNeverBecomesTheBest() {
        EarlyStopping es = new EarlyStopping(3, 0);
        double[] v = {Double.NaN, 0.9, Double.NaN};
        assertEquals(2, es.bestEpoch(v, 3, LOSS));
        assertEquals(0, es.bestEpoch(v, 1, LOSS));
    }

    @Test
    void aRungComparesATrialByItsBestValueSoFarOnlyWithEarlyStopping() {
        TrialRecord r = new TrialRecord("t001", 0, 0, Map.of(), 1, 3);
        r.report(1, 0.9);
        r.report(2, 0.7);
        r.report(3, 0.8);

        assertEquals(0.7, new SearchState(LOSS, new EarlyStopping(5, 0)).rungValue(r, 3));
        assertEquals(0.8, new SearchState(LOSS, null).rungValue(r, 3));
        assertTrue(Double.isNaN(new SearchState(LOSS, new EarlyStopping(5, 0)).rungValue(new TrialRecord("t2", 1, 0, Map.of(), 1, 1), 1)));
    }

    @Test
    void theObjectiveSaysWhatIsBetterWithNaNAlwaysWorse() {
        assertTrue(LOSS.isBetter(0.1, 0.2));
        assertFalse(NDCG.isBetter(0.1, 0.2));
        assertTrue(LOSS.isBetter(0.5, Double.NaN));
        assertFalse(LOSS.isBetter(Double.NaN, 0.5));
        assertTrue(LOSS.compare(Double.NaN, 1e9) > 0);
        assertTrue(NDCG.compare(Double.NaN, -1e9) > 0);
    }
}
