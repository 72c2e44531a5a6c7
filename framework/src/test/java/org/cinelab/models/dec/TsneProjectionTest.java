package org.cinelab.models.dec;

import org.junit.jupiter.api.Test;

import java.util.Random;

import static org.junit.jupiter.api.Assertions.*;

/** The t-SNE figure's coordinates: reproducible from the seed, and they keep separate clusters apart. */
class TsneProjectionTest {
    /** Three tight blobs of 40 points in 10 dimensions, all coordinates negative (as embeddings can be). */
    private static float[][] blobs(long seed) {
        Random r = new Random(seed);
        float[][] x = new float[120][10];
        for (int i = 0; i < x.length; i++) {
            int blob = i / 40;
            for (int j = 0; j < 10; j++) x[i][j] = (float) (-20 + (j % 3 == blob ? 8 : 0) + 0.3 * r.nextGaussian());
        }
        return x;
    }

    @Test
    void theSameVectorsAndSeedGiveIdenticalCoordinatesAndAnotherSeedOthers() {
        float[][] x = blobs(1);
        double[][] a = TsneProjection.project(x, 7);
        double[][] b = TsneProjection.project(x, 7);
        double[][] c = TsneProjection.project(x, 8);
        assertEquals(120, a.length);
        assertEquals(2, a[0].length);
        assertArrayEquals(a, b, "bit-identical for the same seed");
        assertFalse(java.util.Arrays.deepEquals(a, c), "another seed starts elsewhere");
    }

    @Test
    void pointsOfTheSameBlobEndUpNearestToEachOther() {
        double[][] y = TsneProjection.project(blobs(2), 3);
        int agree = 0;
        for (int i = 0; i < y.length; i++) {
            int nearest = -1;
            double best = Double.POSITIVE_INFINITY;
            for (int j = 0; j < y.length; j++) {
                if (i == j) continue;
                double d = Math.hypot(y[i][0] - y[j][0], y[i][1] - y[j][1]);
                if (d < best) { best = d; nearest = j; }
            }
            if (nearest / 40 == i / 40) agree++;
            assertTrue(Double.isFinite(y[i][0]) && Double.isFinite(y[i][1]));
        }
        assertEquals(120, agree, "every point's nearest neighbour in the map is from its own blob");
    }

    @Test
    void tooFewRowsGiveNoFigureAndFewRowsAPerplexityThatFits() {
        assertNull(TsneProjection.project(new float[3][2], 1));
        double[][] y = TsneProjection.project(java.util.Arrays.copyOf(blobs(3), 10), 1);
        assertEquals(10, y.length);
    }
}
