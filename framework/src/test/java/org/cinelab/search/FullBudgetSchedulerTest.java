package org.cinelab.search;

import org.junit.jupiter.api.Test;

import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;

class FullBudgetSchedulerTest {

    @Test
    void everyTrialRunsMaxEpochsInOneBracketOfOneRung() {
        assertEquals(List.of(new BracketShape(0, List.of(new Rung(0, 12, 40)))),
                BracketShapes.full(12, 40));
    }
}
