package org.cinelab.search;

import org.cinelab.space.Domain;
import org.cinelab.space.SearchSpace;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class GridSamplerTest {

    private static SearchSpace space3x2() {
        Map<String, Domain> space = new TreeMap<>();
        space.put("rank", new Domain.Choice(List.of(8, 16)));
        space.put("lr", new Domain.Choice(List.of(0.1, 0.01, 0.001)));
        return SearchSpace.of(space);
    }

    static List<Map<String, Object>> first(Sampler sampler, int n) {
        List<Map<String, Object>> out = new ArrayList<>();
        SearchState empty = new SearchState(new Objective("rmse", Objective.Mode.MIN), null);
        for (int i = 0; i < n; i++) out.add(sampler.suggest(i, empty));
        return out;
    }

    @Test
    void aGridOf3x2ValuesYields6TrialsInRowMajorOrder() {
        GridSampler grid = new GridSampler(space3x2());

        assertEquals(6, grid.size());
        assertEquals(List.of(
                Map.of("lr", 0.1, "rank", 8), Map.of("lr", 0.1, "rank", 16),
                Map.of("lr", 0.01, "rank", 8), Map.of("lr", 0.01, "rank", 16),
                Map.of("lr", 0.001, "rank", 8), Map.of("lr", 0.001, "rank", 16)),
                first(grid, 6));
    }

    @Test
    void configurationsListTheirKeysInSortedOrder() {
        Map<String, Object> first = first(new GridSampler(space3x2()), 1).get(0);

        assertEquals(List.of("lr", "rank"), List.copyOf(first.keySet()));
    }

    @Test
    void integerRangesAreEnumeratedWithTheirStep() {
        GridSampler grid = new GridSampler(SearchSpace.of(Map.of("layers", new Domain.IntRange(1, 7, 3))));

        assertEquals(List.of(Map.of("layers", 1), Map.of("layers", 4), Map.of("layers", 7)), first(grid, 3));
    }

    @Test
    void trialsBeyondTheGridCycleFromTheStart() {
        List<Map<String, Object>> more = first(new GridSampler(space3x2()), 8);

        assertEquals(more.subList(0, 2), more.subList(6, 8));
    }

    @Test
    void anEmptySpaceIsOneEmptyConfiguration() {
        GridSampler grid = new GridSampler(SearchSpace.empty());

        assertEquals(1, grid.size());
        assertEquals(List.of(Map.of(), Map.of()), first(grid, 2));
    }

    @Test
    void aContinuousDomainCannotBeEnumerated() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> new GridSampler(SearchSpace.of(Map.of("lr", new Domain.LogUniform(1e-4, 1e-1)))));

        assertTrue(e.getMessage().contains("'lr'"), e.getMessage());
    }

    @Test
    void aConditionalParameterIsLeftOutWhereItsConditionFails() {
        SearchSpace space = new SearchSpace(Map.of(
                "optimizer", new SearchSpace.Param("optimizer", new Domain.Choice(List.of("adam", "sgd")), null),
                "momentum", new SearchSpace.Param("momentum", new Domain.Choice(List.of(0.5, 0.9)),
                        new SearchSpace.Condition("optimizer", List.of("sgd")))));

        assertEquals(List.of(Map.of("optimizer", "adam"), Map.of("optimizer", "sgd", "momentum", 0.5),
                Map.of("optimizer", "adam"), Map.of("optimizer", "sgd", "momentum", 0.9)), first(new GridSampler(space), 4));
    }
}
