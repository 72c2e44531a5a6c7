package org.cinelab.models.layers;

import org.junit.jupiter.api.Test;

import java.util.Random;

import static org.junit.jupiter.api.Assertions.assertEquals;

/** A squared-error row's residuals, kept count and sum of squares: the scalar definitions', whole vectors and the tail alike. */
class ResidualsTest {
    @Test
    void residualsAreOutputMinusLabelAndZeroWhereUnratedWhenOnlyObservedCount() {
        Random r = new Random(3);
        for (int n : new int[]{1, 15, 16, 17, 100, 1682}) {
            float[] out = new float[n], y = new float[n];
            int rated = 0;
            for (int j = 0; j < n; j++) {
                out[j] = (float) r.nextGaussian() * 3;
                // labels of either sign, ~10% of them zero (unrated)
                if (r.nextInt(10) > 0) {
                    y[j] = (r.nextBoolean() ? 1 : -1) * (1 + r.nextInt(5));
                    rated++;
                }
            }
            for (boolean observedOnly : new boolean[]{false, true}) {
                float[] d = new float[n];
                int kept = Residuals.of(out, y, d, n, observedOnly);
                assertEquals(observedOnly ? rated : n, kept, "kept of " + n);
                double expected = 0;
                for (int j = 0; j < n; j++) {
                    float want = observedOnly && y[j] == 0 ? 0f : out[j] - y[j];
                    assertEquals(Float.floatToRawIntBits(want), Float.floatToRawIntBits(d[j]), "residual " + j + " of " + n);
                    expected += want * want;
                }
                assertEquals(expected, Residuals.sumOfSquares(d, n), 1e-12 * expected, "sum of squares of " + n);
            }
        }
    }

    @Test
    void sumOfSquaresSquaresInFloatAndSumsInDouble() {
        // 1.0000001f and 3e-4f square differently in float and in double: the loss has always squared in float
        float[] d = {1.0000001f, 3e-4f, -7.25f, 0f, 2f};
        double expected = 0;
        for (float v : d) expected += (double) (v * v);
        assertEquals(expected, Residuals.sumOfSquares(d, d.length), 0);
        assertEquals(0, Residuals.sumOfSquares(d, 0));
        assertEquals((double) (d[0] * d[0]), Residuals.sumOfSquares(d, 1));
    }
}
