package org.cinelab.search;

import org.cinelab.space.Domain;
import org.cinelab.space.SearchSpace;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Map;
import java.util.Random;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

class SobolSamplerTest {
    private static final SearchSpace CUBE = SearchSpace.of(Map.of("a", new Domain.Uniform(0, 1), "b", new Domain.Uniform(0, 1),
            "c", new Domain.Uniform(0, 1), "d", new Domain.Uniform(0, 1), "e", new Domain.Uniform(0, 1), "f", new Domain.Uniform(0, 1)));

    @Test
    void theFirst64PointsLeaveFarFewerEmptyCellsInEveryTwoDimensionalViewThanRandomDraws() {
        double sobol = 0, random = 0;
        for (long seed = 0; seed < 10; seed++) {
            SobolSampler s = new SobolSampler(CUBE, seed);
            double[][] q = new double[64][], r = new double[64][];
            Random rng = new Random(seed);
            for (int i = 0; i < 64; i++) {
                q[i] = s.point(i);
                r[i] = rng.doubles(6).toArray();
            }
            sobol += emptyCells(q);
            random += emptyCells(r);
        }
        // 64 random points leave about (63/64)^64 = 37% of 64 cells empty
        assertTrue(sobol < random / 2, "share of empty cells of the 8 x 8 grids of the 15 pairs of dimensions: sobol "
                + sobol / 10 + ", random " + random / 10);
    }

    /** The share of the 64 cells of an 8 x 8 grid left empty, averaged over every pair of dimensions. */
    static double emptyCells(double[][] x) {
        int d = x[0].length, pairs = 0;
        double empty = 0;
        for (int i = 0; i < d; i++) {
            for (int j = i + 1; j < d; j++, pairs++) {
                boolean[] hit = new boolean[64];
                for (double[] p : x) hit[(int) (p[i] * 8) * 8 + (int) (p[j] * 8)] = true;
                for (boolean h : hit) if (!h) empty++;
            }
        }
        return empty / (64.0 * pairs);
    }

    @Test
    void theSameSeedGivesTheSamePointsAndAnotherSeedOthers() {
        SearchState none = new SearchState(SearchTest.RMSE, null);
        for (int i = 0; i < 5; i++) {
            assertEquals(new SobolSampler(CUBE, 7).suggest(i, none), new SobolSampler(CUBE, 7).suggest(i, none));
            assertNotEquals(new SobolSampler(CUBE, 7).suggest(i, none), new SobolSampler(CUBE, 8).suggest(i, none));
        }
    }

    @Test
    void trialNumberIGetsSequencePointIShiftedByTheSeedsMask() {
        // Sobol points 0, 1, 2 are 0, 1/2 and 3/4 or 1/4 in each dimension: trial 0 is the shift itself
        SobolSampler s = new SobolSampler(CUBE, 3);
        double[] shift = s.point(0), p1 = s.point(1), p2 = s.point(2);
        for (int k = 0; k < 6; k++) {
            long mask = (long) (shift[k] * 0x1p52);
            assertEquals(1L << 51, (long) (p1[k] * 0x1p52) ^ mask, "dimension " + k);
            long unshifted = (long) (p2[k] * 0x1p52) ^ mask;
            assertTrue(unshifted == 3L << 50 || unshifted == 1L << 50, "dimension " + k + ": " + unshifted / 0x1p52);
        }
        assertArrayEquals(p1, s.point(1));
    }

    @Test
    void pointsMapToEachDomainWithItsType() {
        SearchSpace space = SearchSpace.of(Map.of("lr", new Domain.LogUniform(1e-4, 1e-1), "units", new Domain.IntRange(8, 64, 8),
                "act", new Domain.Choice(List.of("relu", "tanh")), "hidden", new Domain.Choice(List.of(List.of(64), List.of(128, 64)))));
        SobolSampler s = new SobolSampler(space, 1);
        int[] units = new int[8];
        int logLow = 0;
        for (int i = 0; i < 64; i++) {
            Map<String, Object> v = s.suggest(i, new SearchState(SearchTest.RMSE, null));
            double lr = (Double) v.get("lr");
            assertTrue(lr >= 1e-4 && lr <= 1e-1, v.toString());
            if (lr < Math.pow(10, -2.5)) logLow++;
            int u = (Integer) v.get("units");
            assertTrue(u % 8 == 0 && u >= 8 && u <= 64, v.toString());
            units[u / 8 - 1]++;
            assertTrue(List.of("relu", "tanh").contains(v.get("act")));
            assertTrue(v.get("hidden") instanceof List<?>);
        }
        for (int count : units) assertEquals(8, count, "64 points fill the 8 integer cells equally");
        assertEquals(32, logLow, "half the points below the log-scale midpoint");
    }

    @Test
    void conditionalParametersAreDroppedWhenInactive() {
        SearchSpace space = TpeSamplerTest.CONDITIONAL;
        SobolSampler s = new SobolSampler(space, 2);
        for (int i = 0; i < 16; i++) {
            Map<String, Object> v = s.suggest(i, new SearchState(SearchTest.RMSE, null));
            assertEquals(v.get("optimizer").equals("sgd"), v.containsKey("momentum"), v.toString());
            assertEquals(v.get("optimizer").equals("adam"), v.containsKey("beta"), v.toString());
        }
    }
}
