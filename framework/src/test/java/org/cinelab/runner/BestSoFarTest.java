package org.cinelab.runner;

import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.*;

class BestSoFarTest {
    @Test
    void aLowerValueWinsWhenMinimisingAndTiesGoToTheLowerTrialIdAsInTheSummary() {
        var best = new TrialRunner.BestSoFar(new org.cinelab.search.Objective("rmse", org.cinelab.search.Objective.Mode.MIN));
        assertTrue(best.offer("t005", 0.95));
        assertFalse(best.offer("t006", 0.96));
        assertTrue(best.offer("t007", 0.94));
        assertFalse(best.offer("t008", 0.94));
        assertTrue(best.offer("t001", 0.94));
        assertFalse(best.offer("t002", Double.NaN));
    }

    @Test
    void aHigherValueWinsWhenMaximising() {
        var best = new TrialRunner.BestSoFar(new org.cinelab.search.Objective("acc", org.cinelab.search.Objective.Mode.MAX));
        assertTrue(best.offer("t002", 0.2));
        assertFalse(best.offer("t003", 0.1));
        assertTrue(best.offer("t004", 0.3));
    }
}
