package org.cinelab.search;

import org.cinelab.space.Domain;
import org.cinelab.spec.ExperimentSpec;
import org.cinelab.spec.ExperimentSpec.SearchSpec;
import org.junit.jupiter.api.Test;

import java.nio.file.Path;
import java.util.List;
import java.util.Map;

import static org.cinelab.spec.ExperimentSpec.Sampler.GRID;
import static org.cinelab.spec.ExperimentSpec.Sampler.RANDOM;
import static org.cinelab.spec.ExperimentSpec.Scheduler.HYPERBAND;
import static org.cinelab.spec.ExperimentSpec.Scheduler.NONE;
import static org.cinelab.spec.ExperimentSpec.Scheduler.SUCCESSIVE_HALVING;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class PlannerTest {

    private static final Map<String, Domain> SPACE = Map.of(
            "lr", new Domain.LogUniform(1e-4, 1e-1),
            "rank", new Domain.Choice(List.of(8, 16, 32)));

    private static final Map<String, Domain> GRID_3X2 = Map.of(
            "lr", new Domain.Choice(List.of(0.1, 0.01, 0.001)),
            "rank", new Domain.Choice(List.of(8, 16)));

    private static ExperimentSpec spec(SearchSpec search, Map<String, Domain> space, long seed) {
        return new ExperimentSpec(Path.of("experiments/test.yaml"), "test", "", seed,
                new ExperimentSpec.DatasetSpec("movielens-100k", "random", Map.of()),
                new ExperimentSpec.ModelSpec("biased-mf", Map.of()),
                search, space,
                new ExperimentSpec.ObjectiveSpec("val_rmse", ExperimentSpec.Mode.MIN),
                new ExperimentSpec.TrackingSpec(null, "test"),
                Map.of(), "", "0".repeat(64));
    }

    @Test
    void randomSearchWithoutASchedulerTrainsTheRequestedTrialsForMaxEpochs() {
        Plan plan = Planner.plan(spec(new SearchSpec(RANDOM, 5, NONE, 20, 3, 1), SPACE, 1));

        assertEquals(1, plan.brackets().size());
        assertEquals(List.of(new Rung(0, 5, 20)), plan.brackets().get(0).rungs());
        assertEquals(List.of("t001", "t002", "t003", "t004", "t005"), plan.trials().stream().map(TrialConfig::id).toList());
        assertEquals(100, plan.totalEpochs());
    }

    @Test
    void aGridOf3x2ValuesYields6TrialsInRowMajorOrderAndNeedsNoTrialCount() {
        Plan plan = Planner.plan(new SearchSpec(GRID, null, NONE, 10, 3, 1), GRID_3X2, 1);

        assertEquals(6, plan.trials().size());
        assertEquals(new GridSampler(GRID_3X2).next(6), plan.trials().stream().map(TrialConfig::values).toList());
    }

    @Test
    void successiveHalvingOverAGridStartsWithTheWholeGrid() {
        Plan plan = Planner.plan(new SearchSpec(GRID, null, SUCCESSIVE_HALVING, 9, 3, 1), GRID_3X2, 1);

        assertEquals(List.of(new Rung(0, 6, 1), new Rung(1, 2, 3), new Rung(2, 1, 9)), plan.brackets().get(0).rungs());
        assertEquals(6, plan.trials().size());
    }

    @Test
    void hyperbandFillsEveryBracketWithItsOwnTrialsInPlanOrder() {
        Plan plan = Planner.plan(new SearchSpec(RANDOM, null, HYPERBAND, 81, 3, 1), SPACE, 1);

        assertEquals(List.of(4, 3, 2, 1, 0), plan.brackets().stream().map(Bracket::s).toList());
        assertEquals(List.of(81, 34, 15, 8, 5), plan.brackets().stream().map(b -> b.trials().size()).toList());
        assertEquals(143, plan.trials().size());
        assertEquals(1581, plan.totalEpochs());
        Bracket s3 = plan.brackets().get(1);
        assertEquals("t082", s3.trials().get(0).id());
        assertTrue(s3.trials().stream().allMatch(t -> t.bracket() == 3));
        assertEquals("t143", plan.trials().get(142).id());
    }

    @Test
    void hyperbandOverASmallGridRepeatsTheGrid() {
        Plan plan = Planner.plan(new SearchSpec(GRID, null, HYPERBAND, 9, 3, 1), GRID_3X2, 1);
        List<Map<String, Object>> grid = new GridSampler(GRID_3X2).next(6);

        // R = 9: brackets of 9, 5 and 3 trials drawn in turn from the cycling grid
        List<Map<String, Object>> drawn = plan.trials().stream().map(TrialConfig::values).toList();
        assertEquals(17, drawn.size());
        for (int k = 0; k < drawn.size(); k++) assertEquals(grid.get(k % 6), drawn.get(k));
    }

    @Test
    void trialSeedsAreDerivedFromTheExperimentSeedAndTheId() {
        Plan plan = Planner.plan(new SearchSpec(RANDOM, 4, NONE, 5, 3, 1), SPACE, 42);

        for (TrialConfig t : plan.trials()) assertEquals(Seeds.derive(42, t.id()), t.seed());
        assertEquals(8923894344448887881L, plan.trials().get(0).seed());
    }

    @Test
    void aTrialKeepsItsIdSeedAndValuesWhenMoreTrialsArePlanned() {
        List<TrialConfig> few = Planner.plan(new SearchSpec(RANDOM, 3, NONE, 5, 3, 1), SPACE, 42).trials();
        List<TrialConfig> many = Planner.plan(new SearchSpec(RANDOM, 30, SUCCESSIVE_HALVING, 27, 3, 1), SPACE, 42).trials();

        assertEquals(few, many.subList(0, 3));
    }

    @Test
    void theSameSpecPlansTheSameTrialsAndAnotherSeedOtherOnes() {
        SearchSpec search = new SearchSpec(RANDOM, 10, NONE, 5, 3, 1);

        assertEquals(Planner.plan(search, SPACE, 7), Planner.plan(search, SPACE, 7));
        assertNotEquals(Planner.plan(search, SPACE, 7).trials().get(0).values(),
                Planner.plan(search, SPACE, 8).trials().get(0).values());
    }

    @Test
    void idsWidenBeyond999Trials() {
        List<TrialConfig> trials = Planner.plan(new SearchSpec(RANDOM, 1200, NONE, 1, 3, 1), SPACE, 1).trials();

        assertEquals("t0001", trials.get(0).id());
        assertEquals("t1200", trials.get(1199).id());
    }

    @Test
    void aSpaceWithoutHyperparametersPlansEmptyConfigurations() {
        Plan random = Planner.plan(new SearchSpec(RANDOM, 3, NONE, 5, 3, 1), Map.of(), 1);
        Plan grid = Planner.plan(new SearchSpec(GRID, null, NONE, 5, 3, 1), Map.of(), 1);

        assertEquals(List.of(Map.of(), Map.of(), Map.of()), random.trials().stream().map(TrialConfig::values).toList());
        assertEquals(List.of(Map.of()), grid.trials().stream().map(TrialConfig::values).toList());
    }

    @Test
    void randomSearchWithoutHyperbandNeedsATrialCount() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> Planner.plan(new SearchSpec(RANDOM, null, NONE, 5, 3, 1), SPACE, 1));

        assertTrue(e.getMessage().startsWith("search.trials:"), e.getMessage());
    }
}
