package org.cinelab.models.layers;

import org.junit.jupiter.api.Test;

import java.util.Random;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** A softmax row's max and shifted exponentials: those of Math.exp to float accuracy, whole vectors and the tail alike. */
class ExpRowsTest {
    @Test
    void maxAndShiftedExponentialsMatchTheScalarDefinition() {
        Random r = new Random(7);
        // spread 20: a few values make the sum; spread 1: every value counts, so a value left out of it shows
        for (double spread : new double[]{20, 1})
        for (int n : new int[]{1, 7, 16, 17, 100, 1024, 1031}) {
            float[] v = new float[n], out = new float[n];
            for (int i = 0; i < n; i++) v[i] = (float) (r.nextGaussian() * spread);
            float max = Float.NEGATIVE_INFINITY;
            for (float x : v) max = Math.max(max, x);
            assertEquals(max, ExpRows.max(v, n), "max of " + n);
            double sum = ExpRows.expMinus(v, max, out, n), expected = 0;
            for (int i = 0; i < n; i++) {
                double e = Math.exp(v[i] - max);
                expected += out[i];
                // GateMath.exp is within ~1 ulp; e^x below e^-87 is clamped to e^-87, far below what a softmax sum notices
                if (v[i] - max > -87) assertEquals(e, out[i], Math.max(3 * Math.ulp((float) e), 1e-38), "e^" + (v[i] - max));
                // the same bits as the scalar kernel, whichever path computed the value
                assertEquals(Float.floatToRawIntBits(GateMath.exp(v[i] - max)), Float.floatToRawIntBits(out[i]), "bits at " + i + " of " + n);
            }
            // summed in float lanes: within n·2^-24 of the exact sum of these positive values (any lane count)
            assertEquals(expected, sum, n * 0x1p-24 * expected, "the sum of the values returned (in another order)");
        }
    }

    @Test
    void clampedNonFiniteAndSignedValuesGiveTheScalarKernelsBits() {
        // a 64-wide row (the vector path) of the values a clamp can get wrong: beyond and at its bounds,
        // infinities, NaN, signed zeros; e^x and the sigmoid against GateMath's scalar definitions
        float[] special = {-1000f, -88f, -87f, -86.99f, -0f, 0f, 87.99f, 88f, 88.01f, 1000f, Float.NEGATIVE_INFINITY,
                Float.POSITIVE_INFINITY, Float.NaN, Float.MIN_VALUE, -Float.MIN_VALUE, 1e-30f};
        float[] v = new float[64], out = new float[64];
        for (int i = 0; i < 64; i++) v[i] = special[i % special.length];
        ExpRows.expMinus(v, 0f, out, 64);
        for (int i = 0; i < 64; i++) {
            assertEquals(Float.floatToRawIntBits(GateMath.exp(v[i])), Float.floatToRawIntBits(out[i]), "e^" + v[i]);
        }
        assertTrue(Float.isNaN(ExpRows.max(v, 64)), "a NaN in the row is the row's max, as Math.max has it");
        v[12] = v[28] = v[44] = v[60] = 1f; // the NaNs out: +Infinity is the max
        assertEquals(Float.POSITIVE_INFINITY, ExpRows.max(v, 64));
        float[] s = v.clone();
        ExpRows.sigmoid(s, 64);
        for (int i = 0; i < 64; i++) {
            assertEquals(Float.floatToRawIntBits(1f / (GateMath.exp(-v[i]) + 1f)), Float.floatToRawIntBits(s[i]), "sigmoid(" + v[i] + ")");
        }
    }

    @Test
    void sigmoidInPlaceIsTheScalarKernelsAndWithinAFewUlpOfTheDoubleDefinition() {
        Random r = new Random(11);
        for (int n : new int[]{1, 15, 16, 33, 500, 1031}) {
            float[] v = new float[n], before = new float[n];
            for (int i = 0; i < n; i++) v[i] = before[i] = (float) (r.nextGaussian() * 8);
            if (n > 1) v[1] = before[1] = -100f; // e^100 is clamped to e^88: sigmoid ~1e-38, not 0 or NaN
            ExpRows.sigmoid(v, n);
            for (int i = 0; i < n; i++) {
                double expected = 1 / (1 + Math.exp(-before[i]));
                assertEquals(expected, v[i], Math.max(4 * Math.ulp((float) expected), 1e-37), "sigmoid(" + before[i] + ")");
                assertEquals(Float.floatToRawIntBits(GateMath.sigmoid(before[i])), Float.floatToRawIntBits(v[i]), "bits at " + i + " of " + n);
            }
        }
    }

    @Test
    void softmaxRowsAllocateNothingOnceCompiledAfterSigmoidRows() {
        // a flag in the shared vector loop let C2 compile it for the sigmoid's calls first; the
        // softmax's calls then boxed their vectors (25 MB per two-tower step)
        float[] v = new float[1024], out = new float[1024];
        Random r = new Random(5);
        for (int i = 0; i < v.length; i++) v[i] = (float) r.nextGaussian();
        float[] hidden = java.util.Arrays.copyOf(v, 512);
        for (int i = 0; i < 30_000; i++) ExpRows.sigmoid(java.util.Arrays.copyOf(hidden, 512), 512);
        double sink = 0;
        for (int i = 0; i < 30_000; i++) sink += ExpRows.expMinus(v, 3f, out, 1024);
        com.sun.management.ThreadMXBean threads = (com.sun.management.ThreadMXBean) java.lang.management.ManagementFactory.getThreadMXBean();
        long before = threads.getThreadAllocatedBytes(Thread.currentThread().getId());
        for (int i = 0; i < 1000; i++) sink += ExpRows.expMinus(v, 3f, out, 1024);
        long bytes = threads.getThreadAllocatedBytes(Thread.currentThread().getId()) - before;
        assertTrue(sink > 0);
        // boxed, these 1,000 rows allocated 12 MB
        assertTrue(bytes < 256_000, bytes + " bytes of heap over 1,000 softmax rows");
    }
}
