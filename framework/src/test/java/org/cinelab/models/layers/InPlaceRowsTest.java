package org.cinelab.models.layers;

import org.junit.jupiter.api.Test;

import java.nio.ByteBuffer;
import java.util.Random;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The in-place row passes give the scalar definitions' bits for every value they touch, whole vectors
 * and tails alike, and touch nothing outside their range.
 */
class InPlaceRowsTest {
    private static final float FENCE = 12345.678f;

    @Test
    void biasAndReluAddTheRowsBiasThenClampAtZeroInsideTheRangeOnly() {
        Random r = new Random(1);
        for (int width : new int[]{1, 10, 16, 33, 500}) {
            for (boolean relu : new boolean[]{false, true}) {
                int rows = 5, from = width, to = 4 * width; // rows 1..3 of 5
                float[] z = gaussian(r, rows * width), bias = gaussian(r, width);
                z[from] = -0f; // -0 + 0 is +0 either way
                bias[0] = 0f;
                ByteBuffer b = direct(z);
                InPlaceRows.addBias(b, bias, width, from, to, relu);
                for (int i = 0; i < z.length; i++) {
                    float want = z[i];
                    if (i >= from && i < to) {
                        want = z[i] + bias[i % width];
                        if (relu) want = Math.max(want, 0f);
                    }
                    assertBits(want, b.getFloat(4 * i), "width " + width + " relu " + relu + " at " + i);
                }
            }
        }
    }

    @Test
    void derivativesAreTheScalarProductsAndReluKeepsExactlyWherePositive() {
        Random r = new Random(2);
        for (int n : new int[]{1, 15, 16, 47, 1000}) {
            float[] d = gaussian(r, n + 2), relu = new float[n + 2], sig = new float[n + 2], tanh = new float[n + 2];
            for (int i = 0; i < n + 2; i++) {
                relu[i] = r.nextBoolean() ? 0f : Math.abs((float) r.nextGaussian());
                sig[i] = r.nextFloat();
                tanh[i] = 2 * r.nextFloat() - 1;
            }
            d[1] = -0f;
            ByteBuffer dr = direct(d), ds = direct(d), dt = direct(d);
            InPlaceRows.timesReluDerivative(dr, direct(relu), 1, n + 1);
            InPlaceRows.timesSigmoidDerivative(ds, direct(sig), 1, n + 1);
            InPlaceRows.timesTanhDerivative(dt, direct(tanh), 1, n + 1);
            for (int i = 0; i < n + 2; i++) {
                boolean in = i >= 1 && i <= n;
                assertBits(in ? (relu[i] > 0 ? d[i] : 0f) : d[i], dr.getFloat(4 * i), "relu' " + i + " of " + n);
                assertBits(in ? d[i] * (sig[i] * (1 - sig[i])) : d[i], ds.getFloat(4 * i), "sigmoid' " + i + " of " + n);
                assertBits(in ? d[i] * (1 - tanh[i] * tanh[i]) : d[i], dt.getFloat(4 * i), "tanh' " + i + " of " + n);
            }
        }
    }

    @Test
    void columnSumsAddTheRowsInOrderForTheirColumnsOnly() {
        Random r = new Random(3);
        for (int width : new int[]{3, 16, 70, 200}) {
            int rows = 37;
            float[] d = gaussian(r, rows * width);
            for (int[] range : new int[][]{{0, width}, {width / 3, width - 1}}) {
                float[] sums = new float[width];
                java.util.Arrays.fill(sums, FENCE);
                InPlaceRows.columnSums(direct(d), rows, width, range[0], range[1], sums);
                for (int j = 0; j < width; j++) {
                    float want = FENCE;
                    if (j >= range[0] && j < range[1]) {
                        want = 0;
                        for (int row = 0; row < rows; row++) want += d[row * width + j];
                    }
                    assertBits(want, sums[j], "width " + width + " column " + j);
                }
            }
        }
    }

    @Test
    void biasWithoutReluAllocatesNothingOnceCompiledForReluRows() {
        // the flag is the kind that made the softmax box its vectors once compiled for another caller (ExpRowsTest)
        int width = 512, rows = 8;
        ByteBuffer z = direct(gaussian(new Random(4), rows * width));
        float[] bias = new float[width];
        for (int i = 0; i < 30_000; i++) InPlaceRows.addBias(z, bias, width, 0, rows * width, true);
        for (int i = 0; i < 30_000; i++) InPlaceRows.addBias(z, bias, width, 0, rows * width, false);
        com.sun.management.ThreadMXBean threads = (com.sun.management.ThreadMXBean) java.lang.management.ManagementFactory.getThreadMXBean();
        long before = threads.getThreadAllocatedBytes(Thread.currentThread().getId());
        for (int i = 0; i < 1000; i++) InPlaceRows.addBias(z, bias, width, 0, rows * width, i % 2 == 0);
        long bytes = threads.getThreadAllocatedBytes(Thread.currentThread().getId()) - before;
        assertTrue(bytes < 256_000, bytes + " bytes of heap over 1,000 passes");
    }

    private static float[] gaussian(Random r, int n) {
        float[] v = new float[n];
        for (int i = 0; i < n; i++) v[i] = (float) r.nextGaussian() * 3;
        return v;
    }

    private static ByteBuffer direct(float[] v) {
        ByteBuffer b = ByteBuffer.allocateDirect(4 * v.length).order(NativeMemory.ORDER);
        for (int i = 0; i < v.length; i++) b.putFloat(4 * i, v[i]);
        return b;
    }

    private static void assertBits(float want, float got, String what) {
        assertEquals(Float.floatToRawIntBits(want), Float.floatToRawIntBits(got), what + ": want " + want + ", got " + got);
    }
}
