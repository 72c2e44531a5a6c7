package org.cinelab.search;

import org.cinelab.space.Domain;
import org.cinelab.space.SearchSpace;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Map;

import static org.cinelab.search.GridSamplerTest.first;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

class RandomSamplerTest {

    private static final SearchSpace SPACE = SearchSpace.of(Map.of(
            "lr", new Domain.LogUniform(1e-4, 1e-1),
            "dropout", new Domain.Uniform(0.0, 0.5),
            "units", new Domain.IntRange(32, 512, 32),
            "activation", new Domain.Choice(List.of("relu", "gelu", "swish"))));

    private static final SearchState EMPTY = new SearchState(new Objective("rmse", Objective.Mode.MIN), null);

    @Test
    void theSameSeedGivesTheSameConfigurations() {
        assertEquals(first(new RandomSampler(SPACE, 7), 20), first(new RandomSampler(SPACE, 7), 20));
    }

    @Test
    void anotherSeedGivesOtherConfigurations() {
        assertNotEquals(first(new RandomSampler(SPACE, 7), 20), first(new RandomSampler(SPACE, 8), 20));
    }

    @Test
    void trialIndexNGetsTheNthDrawWhateverWasAskedBefore() {
        List<Map<String, Object>> whole = first(new RandomSampler(SPACE, 7), 10);

        RandomSampler skipping = new RandomSampler(SPACE, 7);
        assertEquals(whole.get(6), skipping.suggest(6, EMPTY));
        assertEquals(whole.get(9), skipping.suggest(9, EMPTY));
        assertEquals(whole.get(2), skipping.suggest(2, EMPTY), "asking an earlier index again replays the stream");
    }

    @Test
    void theDrawsAreJavaUtilRandomsInKeyOrderSoRecordedSearchesStayReproducible() {
        java.util.Random rng = new java.util.Random(7);
        Map<String, Object> expected = new java.util.TreeMap<>();
        expected.put("activation", List.of("relu", "gelu", "swish").get(rng.nextInt(3)));
        expected.put("dropout", 0.5 * rng.nextDouble());
        expected.put("lr", Math.exp(Math.log(1e-4) + (Math.log(1e-1) - Math.log(1e-4)) * rng.nextDouble()));
        expected.put("units", 32 + 32 * rng.nextInt(16));

        assertEquals(expected, new RandomSampler(SPACE, 7).suggest(0, EMPTY));
    }

    @Test
    void logUniformSamplesStayWithinBoundsAndCoverTheDecades() {
        SearchSpace space = SearchSpace.of(Map.of("lr", new Domain.LogUniform(1e-4, 1e-1)));
        boolean[] decadeSeen = new boolean[3];

        for (Map<String, Object> config : first(new RandomSampler(space, 1), 2000)) {
            double lr = (Double) config.get("lr");
            assertTrue(lr >= 1e-4 && lr <= 1e-1, "lr out of bounds: " + lr);
            decadeSeen[(int) Math.min(2, Math.floor(Math.log10(lr) + 4))] = true;
        }

        assertTrue(decadeSeen[0] && decadeSeen[1] && decadeSeen[2], "every decade of [1e-4, 1e-1] is sampled");
    }

    @Test
    void everyValueComesFromItsDomain() {
        for (Map<String, Object> config : first(new RandomSampler(SPACE, 3), 500)) {
            assertEquals(List.of("activation", "dropout", "lr", "units"), List.copyOf(config.keySet()));
            int units = (Integer) config.get("units");
            assertTrue(units >= 32 && units <= 512 && units % 32 == 0, "units " + units);
            double dropout = (Double) config.get("dropout");
            assertTrue(dropout >= 0 && dropout <= 0.5, "dropout " + dropout);
            assertTrue(List.of("relu", "gelu", "swish").contains(config.get("activation")));
        }
    }

    @Test
    void aConditionalParameterIsDrawnButDroppedWhenInactiveSoTheStreamDoesNotShift() {
        SearchSpace conditional = new SearchSpace(Map.of(
                "optimizer", new SearchSpace.Param("optimizer", new Domain.Choice(List.of("adam", "sgd")), null),
                "momentum", new SearchSpace.Param("momentum", new Domain.Uniform(0.5, 0.99),
                        new SearchSpace.Condition("optimizer", List.of("sgd")))));
        SearchSpace flat = SearchSpace.of(conditional.domains());

        List<Map<String, Object>> withCondition = first(new RandomSampler(conditional, 5), 50);
        List<Map<String, Object>> without = first(new RandomSampler(flat, 5), 50);
        for (int i = 0; i < 50; i++) {
            Map<String, Object> c = withCondition.get(i);
            assertEquals(without.get(i).get("optimizer"), c.get("optimizer"));
            if (c.get("optimizer").equals("sgd")) assertEquals(without.get(i).get("momentum"), c.get("momentum"));
            else assertTrue(!c.containsKey("momentum"), c.toString());
        }
    }

    @Test
    void anEmptySpaceGivesOneEmptyConfigurationPerTrial() {
        assertEquals(List.of(Map.of(), Map.of(), Map.of()), first(new RandomSampler(SearchSpace.empty(), 7), 3));
    }
}
