package org.cinelab.search;

import org.cinelab.space.Domain;
import org.cinelab.space.SearchSpace;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class SearchTest {
    static final Objective RMSE = new Objective("rmse", Objective.Mode.MIN);

    private static final SearchSpace SPACE = SearchSpace.of(Map.of(
            "lr", new Domain.LogUniform(1e-4, 1e-1),
            "rank", new Domain.Choice(List.of(8, 16, 32))));

    private static final SearchSpace GRID_3X2 = SearchSpace.of(Map.of(
            "lr", new Domain.Choice(List.of(0.1, 0.01, 0.001)),
            "rank", new Domain.Choice(List.of(8, 16))));

    static Search search(String sampler, Integer trials, String scheduler, int max, SearchSpace space, long seed) {
        return Search.of(SearchSettings.of(sampler, trials, scheduler, max, 3, 1), space, seed, RMSE);
    }

    @Test
    void randomSearchWithoutASchedulerTrainsTheRequestedTrialsForMaxEpochs() {
        Search s = search("random", 5, "none", 20, SPACE, 1);

        assertEquals(List.of(new BracketShape(0, List.of(new Rung(0, 5, 20)))), s.scheduler().brackets());
        assertEquals(List.of("t001", "t002", "t003", "t004", "t005"), s.preview().stream().map(Search.PlannedTrial::id).toList());
        assertEquals(new Scheduler.Budget(100, 100, "which trials are promoted at each rung"), s.scheduler().budget());
    }

    @Test
    void aGridOf3x2ValuesYields6TrialsAndNeedsNoTrialCount() {
        Search s = search("grid", null, "none", 10, GRID_3X2, 1);

        assertEquals(6, s.preview().size());
        assertEquals(GridSamplerTest.first(new GridSampler(GRID_3X2), 6), s.preview().stream().map(Search.PlannedTrial::values).toList());
    }

    @Test
    void successiveHalvingOverAGridStartsWithTheWholeGrid() {
        Search s = search("grid", null, "successive-halving", 9, GRID_3X2, 1);

        assertEquals(List.of(new Rung(0, 6, 1), new Rung(1, 2, 3), new Rung(2, 1, 9)), s.scheduler().brackets().get(0).rungs());
        assertEquals(6, s.preview().size());
    }

    @Test
    void hyperbandFillsEveryBracketWithItsOwnTrialsInOrder() {
        List<Search.PlannedTrial> trials = search("random", null, "hyperband", 81, SPACE, 1).preview();

        assertEquals(143, trials.size());
        assertEquals(4, trials.get(80).bracket());
        assertEquals("t082", trials.get(81).id());
        assertEquals(3, trials.get(81).bracket());
        assertEquals("t143", trials.get(142).id());
        assertEquals(0, trials.get(142).bracket());
        assertEquals(1581, search("random", null, "hyperband", 81, SPACE, 1).scheduler().budget().maxEpochs());
    }

    @Test
    void hyperbandOverASmallGridRepeatsTheGrid() {
        List<Search.PlannedTrial> trials = search("grid", null, "hyperband", 9, GRID_3X2, 1).preview();
        List<Map<String, Object>> grid = GridSamplerTest.first(new GridSampler(GRID_3X2), 6);

        assertEquals(17, trials.size());
        for (int k = 0; k < trials.size(); k++) assertEquals(grid.get(k % 6), trials.get(k).values());
    }

    @Test
    void trialSeedsAreDerivedFromTheExperimentSeedAndTheId() {
        List<Search.PlannedTrial> trials = search("random", 4, "none", 5, SPACE, 42).preview();

        for (Search.PlannedTrial t : trials) assertEquals(Seeds.derive(42, t.id()), t.seed());
        assertEquals(8923894344448887881L, trials.get(0).seed());
    }

    @Test
    void aTrialKeepsItsIdSeedAndValuesWhenMoreTrialsAreAllowed() {
        List<Search.PlannedTrial> few = search("random", 3, "none", 5, SPACE, 42).preview();
        List<Search.PlannedTrial> many = search("random", 30, "successive-halving", 27, SPACE, 42).preview();

        assertEquals(few, many.subList(0, 3));
    }

    @Test
    void anotherSeedDrawsOtherValues() {
        assertNotEquals(search("random", 10, "none", 5, SPACE, 7).preview().get(0).values(),
                search("random", 10, "none", 5, SPACE, 8).preview().get(0).values());
    }

    @Test
    void idsWidenBeyond999Trials() {
        Search s = search("random", 1200, "none", 1, SPACE, 1);

        assertEquals("t0001", s.trialId(0));
        assertEquals("t1200", s.trialId(1199));
    }

    @Test
    void aSpaceWithoutHyperparametersGivesEmptyConfigurations() {
        assertEquals(List.of(Map.of(), Map.of(), Map.of()),
                search("random", 3, "none", 5, SearchSpace.empty(), 1).preview().stream().map(Search.PlannedTrial::values).toList());
        assertEquals(List.of(Map.of()),
                search("grid", null, "none", 5, SearchSpace.empty(), 1).preview().stream().map(Search.PlannedTrial::values).toList());
    }

    @Test
    void randomSearchWithoutHyperbandNeedsATrialCount() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> search("random", null, "none", 5, SPACE, 1));

        assertTrue(e.getMessage().startsWith("search.trials:"), e.getMessage());
    }

    @Test
    void anAsynchronousSchedulerHasNoFixedBracketsButBounds() {
        Search s = search("random", 27, "asha", 27, SPACE, 1);

        assertTrue(s.scheduler().brackets().isEmpty());
        Scheduler.Budget b = s.scheduler().budget();
        // at least successive halving's 27*1 + 9*2 + 3*6 + 1*18 = 81; at most every result from the 3rd on promoted
        assertEquals(81, b.minEpochs());
        assertTrue(b.maxEpochs() > b.minEpochs());
    }
}
