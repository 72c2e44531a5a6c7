package org.cinelab.search;

import org.junit.jupiter.api.Test;

import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;

class SuccessiveHalvingSchedulerTest {

    @Test
    void n27Eta3Max27KeepsAThirdAtEachRung() {
        List<BracketShape> brackets = BracketShapes.successiveHalving(27, 27, 3, 1);

        assertEquals(List.of(new BracketShape(0, List.of(
                new Rung(0, 27, 1), new Rung(1, 9, 3), new Rung(2, 3, 9), new Rung(3, 1, 27)))), brackets);
    }

    @Test
    void theLastRungIsExactlyMaxEpochsEvenWhenNotAPowerOfEta() {
        List<Rung> rungs = BracketShapes.successiveHalving(10, 20, 3, 2).get(0).rungs();

        assertEquals(List.of(new Rung(0, 10, 2), new Rung(1, 3, 6), new Rung(2, 1, 18), new Rung(3, 1, 20)), rungs);
    }

    @Test
    void atLeastOneTrialSurvivesEveryRung() {
        List<Rung> rungs = BracketShapes.successiveHalving(3, 16, 2, 1).get(0).rungs();

        assertEquals(List.of(3, 1, 1, 1, 1), rungs.stream().map(Rung::configs).toList());
        assertEquals(List.of(1, 2, 4, 8, 16), rungs.stream().map(Rung::epochs).toList());
    }

    @Test
    void minEpochsEqualToMaxEpochsIsOneRung() {
        assertEquals(List.of(new Rung(0, 5, 9)), BracketShapes.successiveHalving(5, 9, 3, 9).get(0).rungs());
    }

    @Test
    void aTrialPausedAtTheLastRungIsFinishedNotWaitedFor() {
        Search search = SchedulerSimulationTest.search("random", 1, "none", 3, 3);
        SearchState state = search.newState();
        TrialRecord r = search.start(state, (Decision.Start) search.scheduler().next(state));
        for (int e = 1; e <= 3; e++) r.report(e, 1.0 / e);
        r.status(TrialRecord.Status.PAUSED); // as a crash of another trial left it before 2026-12-03

        Decision d = search.scheduler().next(state);
        assertEquals(new Decision.Finish(r.id(), "completed 3 epochs"), d);
    }

    @Test
    void itNeedsATrialCount() {
        assertThrows(IllegalArgumentException.class, () -> BracketShapes.successiveHalving(0, 27, 3, 1));
        assertFalse(SearchRegistry.scheduler("successive-halving").orElseThrow().sizesItsOwnTrials());
    }
}
