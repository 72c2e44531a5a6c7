package org.cinelab.models.layers;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.SplittableRandom;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Adam's and RMSprop's in-place vector steps give the scalar updates' bits, leaves what it does not reach untouched, and says where it stopped. */
class OptimiserStepsTest {
    @ParameterizedTest(name = "{0} [{1}, {2}) l2={3} decay={4}")
    @CsvSource({"adam, 0, 1000, 0, 0", "adam, 3, 517, 0.01, 0", "adam, 5, 300, 0, 0.0001", "adam, 0, 7, 0.5, 0.5", "adam, 16, 48, 0, 0",
            "rmsprop, 0, 1000, 0, 0", "rmsprop, 3, 517, 0.01, 0.0001", "rmsprop, 1, 9, 0, 0"})
    void theInPlaceStepIsTheScalarUpdateBitForBit(String optimiser, int from, int to, float l2, float decay) {
        assertTrue(OptimiserSteps.available(), "the tests run with the vector module (./cinelab and Surefire add it)");
        int n = 1100, mShift = 40, vShift = 40 + n;
        SplittableRandom r = new SplittableRandom(from * 31L + to);
        ByteBuffer w = floats(n, r, 1), g = floats(n, r, 100), state = floats(40 + 2 * n, r, 1);
        boolean adam = optimiser.equals("adam");
        int squares = adam ? vShift : mShift; // Adam's v, RMSprop's s (in m's place): sums of squares, >= 0
        for (int i = 0; i < n; i++) state.putFloat(4 * (squares + i), Math.abs(state.getFloat(4 * (squares + i))));
        float[] w0 = copy(w, n), g0 = copy(g, n), s0 = copy(state, 40 + 2 * n);
        float inv = 1f / 32, b1 = 0.9f, b2 = 0.999f, alpha = 3.2e-4f, eps = 1e-7f;

        float rho = 0.95f, lr = 1e-3f;
        int stopped = adam ? OptimiserSteps.adam(w, g, state, from, to, mShift, vShift, inv, l2, b1, b2, alpha, eps, decay)
                : OptimiserSteps.rmsProp(w, g, state, from, to, mShift, inv, l2, rho, lr, eps, decay);

        assertTrue(stopped >= from && stopped <= to && to - stopped < FloatVectorLength.LENGTH, "stopped at " + stopped);
        for (int i = 0; i < n; i++) {
            float wi = w0[i], m = s0[i + mShift], v = s0[i + vShift];
            if (i >= from && i < stopped) { // DenseUpdater's scalar updates, as written there
                float gi = l2 == 0 ? g0[i] * inv : g0[i] * inv + l2 * wi;
                if (adam) {
                    m = b1 * m + gi * (1 - b1);
                    v = b2 * v + gi * gi * (1 - b2);
                    wi -= m * alpha / ((float) Math.sqrt(v) + eps) + decay * wi;
                } else { // m's place holds RMSprop's s
                    m = m * rho + gi * gi * (1 - rho);
                    wi -= lr * gi / ((float) Math.sqrt(m) + eps) + decay * wi;
                }
            }
            assertEquals(Float.floatToRawIntBits(wi), Float.floatToRawIntBits(w.getFloat(4 * i)), "w[" + i + "]");
            assertEquals(Float.floatToRawIntBits(m), Float.floatToRawIntBits(state.getFloat(4 * (i + mShift))), "m[" + i + "]");
            assertEquals(Float.floatToRawIntBits(v), Float.floatToRawIntBits(state.getFloat(4 * (i + vShift))), "v[" + i + "]");
            assertEquals(g0[i], g.getFloat(4 * i), "the gradient is read, not written");
        }
        for (int i = 0; i < 40; i++) assertEquals(s0[i], state.getFloat(4 * i), "state before m");
    }

    private static final class FloatVectorLength {
        static final int LENGTH = jdk.incubator.vector.FloatVector.SPECIES_PREFERRED.length();
    }

    private static ByteBuffer floats(int n, SplittableRandom r, double scale) {
        ByteBuffer b = ByteBuffer.allocateDirect(4 * n).order(ByteOrder.nativeOrder());
        for (int i = 0; i < n; i++) b.putFloat(4 * i, (float) ((r.nextDouble() - 0.5) * scale));
        return b;
    }

    private static float[] copy(ByteBuffer b, int n) {
        float[] f = new float[n];
        for (int i = 0; i < n; i++) f[i] = b.getFloat(4 * i);
        return f;
    }
}
