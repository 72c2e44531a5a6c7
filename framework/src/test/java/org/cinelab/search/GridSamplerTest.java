package org.cinelab.search;

import org.cinelab.space.Domain;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Map;
import java.util.TreeMap;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class GridSamplerTest {

    private static Map<String, Domain> space3x2() {
        Map<String, Domain> space = new TreeMap<>();
        space.put("rank", new Domain.Choice(List.of(8, 16)));
        space.put("lr", new Domain.Choice(List.of(0.1, 0.01, 0.001)));
        return space;
    }

    @Test
    void aGridOf3x2ValuesYields6TrialsInRowMajorOrder() {
        GridSampler grid = new GridSampler(space3x2());

        assertEquals(6, grid.size());
        assertEquals(List.of(
                Map.of("lr", 0.1, "rank", 8), Map.of("lr", 0.1, "rank", 16),
                Map.of("lr", 0.01, "rank", 8), Map.of("lr", 0.01, "rank", 16),
                Map.of("lr", 0.001, "rank", 8), Map.of("lr", 0.001, "rank", 16)),
                grid.next(6));
    }

    @Test
    void configurationsListTheirKeysInSortedOrder() {
        Map<String, Object> first = new GridSampler(space3x2()).next(1).get(0);

        assertEquals(List.of("lr", "rank"), List.copyOf(first.keySet()));
    }

    @Test
    void integerRangesAreEnumeratedWithTheirStep() {
        GridSampler grid = new GridSampler(Map.of("layers", new Domain.IntRange(1, 7, 3)));

        assertEquals(List.of(Map.of("layers", 1), Map.of("layers", 4), Map.of("layers", 7)), grid.next(3));
    }

    @Test
    void askingForMoreThanRemainCyclesFromTheStart() {
        GridSampler grid = new GridSampler(space3x2());
        List<Map<String, Object>> all = grid.next(6);

        List<Map<String, Object>> more = grid.next(8);

        assertEquals(all, more.subList(0, 6));
        assertEquals(all.subList(0, 2), more.subList(6, 8));
    }

    @Test
    void anEmptySpaceIsOneEmptyConfiguration() {
        GridSampler grid = new GridSampler(Map.of());

        assertEquals(1, grid.size());
        assertEquals(List.of(Map.of(), Map.of()), grid.next(2));
    }

    @Test
    void aContinuousDomainCannotBeEnumerated() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> new GridSampler(Map.of("lr", new Domain.LogUniform(1e-4, 1e-1))));

        assertTrue(e.getMessage().contains("'lr'"), e.getMessage());
    }
}
