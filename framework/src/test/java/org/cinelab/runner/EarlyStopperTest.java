package org.cinelab.runner;

import org.cinelab.spec.ExperimentSpec;
import org.cinelab.spec.ExperimentSpec.Mode;
import org.cinelab.spec.ExperimentSpec.ObjectiveSpec;
import org.junit.jupiter.api.Test;

import java.util.Map;

import static org.junit.jupiter.api.Assertions.*;

class EarlyStopperTest {

    private static TrialState history(double... values) {
        TrialState s = new TrialState();
        for (int e = 1; e <= values.length; e++) s.history.add(new TrialState.EpochRecord(e, 1.0, Map.of("ndcg", values[e - 1])));
        return s;
    }

    /** Feeds the history epoch by epoch as the runner does; returns the epoch it stopped at, or 0. */
    private static int stopEpoch(EarlyStopper stopper, TrialState full) {
        TrialState s = new TrialState();
        for (TrialState.EpochRecord r : full.history) {
            s.history.add(r);
            s.epochsDone = r.epoch;
            stopper.update(s);
            if (s.earlyStopped) return s.epochsDone;
        }
        return 0;
    }

    @Test
    void anImprovementMustBeatTheBestByMoreThanMinDeltaInTheObjectivesDirection() {
        var stopper = new EarlyStopper(new ExperimentSpec.EarlyStopping(2, 0.01), new ObjectiveSpec("ndcg", Mode.MAX));
        TrialState s = history(0.30, 0.305, 0.32, 0.325, 0.329, 0.5);
        // 0.305 is within min_delta of 0.30; 0.32 improves; 0.325 and 0.329 do not: stop at epoch 5, best 3.
        assertEquals(5, stopEpoch(stopper, s));
        assertEquals(3, stopper.bestEpoch(s, 5));
        assertEquals(6, stopper.bestEpoch(s, 6));
        assertEquals(0.32, stopper.rungValue(s, 5));
    }

    @Test
    void withZeroMinDeltaAnyStrictImprovementCountsAndATieDoesNot() {
        var stopper = new EarlyStopper(new ExperimentSpec.EarlyStopping(1, 0), new ObjectiveSpec("ndcg", Mode.MIN));
        assertEquals(3, stopEpoch(stopper, history(0.9, 0.8, 0.8, 0.7)));
        assertEquals(0, stopEpoch(stopper, history(0.9, 0.8, 0.79)));
    }

    @Test
    void aNonFiniteValueNeverBecomesTheBest() {
        var stopper = new EarlyStopper(new ExperimentSpec.EarlyStopping(3, 0), new ObjectiveSpec("ndcg", Mode.MIN));
        TrialState s = history(Double.NaN, 0.9, Double.NaN);
        assertEquals(2, stopper.bestEpoch(s, 3));
        assertEquals(0, stopper.bestEpoch(s, 1));
        assertTrue(Double.isNaN(stopper.rungValue(s, 1)));
    }

    @Test
    void offItComparesTrialsAtTheRungsEpochAsBefore() {
        var off = new EarlyStopper(null, new ObjectiveSpec("ndcg", Mode.MIN));
        assertFalse(off.enabled());
        assertEquals(0.8, off.rungValue(history(0.9, 0.7, 0.8), 3));
    }
}
