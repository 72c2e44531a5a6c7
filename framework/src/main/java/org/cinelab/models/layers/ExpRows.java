package org.cinelab.models.layers;

import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorOperators;
import jdk.incubator.vector.VectorSpecies;

/**
 * The exponentials of a softmax row, for loss layers outside the LSTM (the two-tower model's in-batch
 * softmax takes the exponential of batch² logits per step, which {@code Math.exp} made the slowest
 * part of its step). The same {@link GateMath#exp} in whole vectors when the JVM has the vector module,
 * else scalar: the same bits either way.
 */
public final class ExpRows {
    private static final boolean VECTOR = ModuleLayer.boot().findModule("jdk.incubator.vector").isPresent();

    private ExpRows() {}

    /** The largest of {@code v[0..n)}. */
    public static float max(float[] v, int n) {
        int done = 0;
        float max = Float.NEGATIVE_INFINITY;
        if (VECTOR) {
            done = Vectors.wholeVectors(n);
            if (done > 0) max = Vectors.max(v, done);
        }
        for (int i = done; i < n; i++) max = Math.max(max, v[i]);
        return max;
    }

    /** {@code out[i] = e^(v[i] - shift)} for {@code i < n} (shift = the row's max keeps them in range); returns their sum. */
    public static double expMinus(float[] v, float shift, float[] out, int n) {
        int done = VECTOR ? Vectors.expMinus(v, shift, out, n) : 0;
        for (int i = done; i < n; i++) out[i] = GateMath.exp(v[i] - shift);
        double sum = 0;
        for (int i = 0; i < n; i++) sum += out[i];
        return sum;
    }

    /** Loaded only when the module is present. */
    private static final class Vectors {
        private static final VectorSpecies<Float> S = FloatVector.SPECIES_PREFERRED;

        static int wholeVectors(int n) { return n - n % S.length(); }

        static float max(float[] v, int whole) {
            FloatVector m = FloatVector.fromArray(S, v, 0);
            for (int i = S.length(); i < whole; i += S.length()) m = m.max(FloatVector.fromArray(S, v, i));
            return m.reduceLanes(VectorOperators.MAX);
        }

        static int expMinus(float[] v, float shift, float[] out, int n) {
            int whole = wholeVectors(n);
            for (int i = 0; i < whole; i += S.length()) {
                VectorGateKernels.exp(FloatVector.fromArray(S, v, i).sub(shift)).intoArray(out, i);
            }
            return whole;
        }
    }
}
