package org.cinelab.models.layers;

import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.IntVector;
import jdk.incubator.vector.VectorOperators;
import jdk.incubator.vector.VectorSpecies;

/**
 * The exponentials of a softmax row and the sigmoid of a dense layer, outside the LSTM (the two-tower
 * model's in-batch softmax takes the exponential of batch² logits per step, which {@code Math.exp}
 * made the slowest part of its step; AutoRec's sigmoid layer took ~3% of its step that way). The
 * same {@link GateMath#exp} in whole vectors when the JVM has the vector module and the row is wide
 * enough, else scalar: the same bits either way.
 */
public final class ExpRows {
    private static final boolean VECTOR = ModuleLayer.boot().findModule("jdk.incubator.vector").isPresent();
    /**
     * Rows narrower than this go through the scalar loops: a vector or two do not repay the vector
     * loop's set-up, and in ~1 of 3 full {@code bench s1} runs that set-up ran the Vector API's Java
     * fallback however long the JVM warmed up (the text-LSTM's 20-wide softmax head: ~280 B of
     * garbage per row, 218 kB per epoch).
     */
    private static final int VECTOR_MIN_WIDTH = 64;

    private ExpRows() {}

    /** Whether a row of {@code n} goes through the vector loops. */
    private static boolean inVectors(int n) { return VECTOR && n >= VECTOR_MIN_WIDTH; }

    /** The largest of {@code v[0..n)}. */
    public static float max(float[] v, int n) {
        int done = 0;
        float max = Float.NEGATIVE_INFINITY;
        if (inVectors(n)) {
            done = Vectors.wholeVectors(n);
            if (done > 0) max = Vectors.max(v, done);
        }
        for (int i = done; i < n; i++) max = Math.max(max, v[i]);
        return max;
    }

    /**
     * {@code out[i] = e^(v[i] - shift)} for {@code i < n} (shift = the row's max keeps them in range);
     * returns their sum. The values' bits do not depend on the path; the sum does: with the vector
     * module each lane sums its n/lanes values in float and the lanes are added in double (relative
     * error below (n/lanes)·2^-24, ~4e-6 at 1,024 wide, for the positive terms here), without it
     * four running sums in double.
     */
    public static double expMinus(float[] v, float shift, float[] out, int n) {
        double sum = 0;
        int done = 0;
        if (inVectors(n)) {
            done = Vectors.wholeVectors(n);
            if (done > 0) sum = Vectors.expSum(v, shift, out, done);
        }
        if (done == n) return sum;
        // the tail (all of it without the module): GateMath.exp, whose bits the vectors give too
        for (int i = done; i < n; i++) out[i] = GateMath.exp(v[i] - shift);
        // four running sums: one chain of dependent additions made summing a 1,024-wide row slower than its exponentials
        double s0 = 0, s1 = 0, s2 = 0, s3 = 0;
        int i = done;
        for (; i + 3 < n; i += 4) {
            s0 += out[i];
            s1 += out[i + 1];
            s2 += out[i + 2];
            s3 += out[i + 3];
        }
        for (; i < n; i++) s0 += out[i];
        return sum + ((s0 + s1) + (s2 + s3));
    }

    /** {@code v[i] = 1 / (1 + e^-v[i])} for {@code i < n}: {@link GateMath#sigmoid}. */
    public static void sigmoid(float[] v, int n) {
        exp(v, -1f, 0f, v, n);
        for (int i = 0; i < n; i++) v[i] = 1f / (v[i] + 1f);
    }

    /** {@code out[i] = e^(sign·v[i] − shift)}; sign ±1, so {@code sign·v[i]} is exact. */
    private static void exp(float[] v, float sign, float shift, float[] out, int n) {
        int done = inVectors(n) ? Vectors.exp(v, sign, shift, out, n) : 0;
        for (int i = done; i < n; i++) out[i] = GateMath.exp(sign * v[i] - shift);
    }

    /** Loaded only when the module is present. */
    private static final class Vectors {
        private static final VectorSpecies<Float> S = FloatVector.SPECIES_PREFERRED;
        private static final VectorSpecies<Integer> I = IntVector.SPECIES_PREFERRED;

        static int wholeVectors(int n) { return n - n % S.length(); }

        /**
         * Four running maxima: a float vector's {@code max} (Java's, NaN- and signed-zero-aware) is several
         * dependent instructions, so one chain of them made this pass ~0.2 ns per value, as slow as half
         * the exponentials (~0.09 with four). The maximum does not depend on the order it is taken in.
         */
        static float max(float[] v, int whole) {
            int l = S.length(), i = l;
            FloatVector m0 = FloatVector.fromArray(S, v, 0), m1 = m0, m2 = m0, m3 = m0;
            for (; i + 4 * l <= whole; i += 4 * l) {
                m0 = m0.max(FloatVector.fromArray(S, v, i));
                m1 = m1.max(FloatVector.fromArray(S, v, i + l));
                m2 = m2.max(FloatVector.fromArray(S, v, i + 2 * l));
                m3 = m3.max(FloatVector.fromArray(S, v, i + 3 * l));
            }
            for (; i < whole; i += l) m0 = m0.max(FloatVector.fromArray(S, v, i));
            return m0.max(m1).max(m2.max(m3)).reduceLanes(VectorOperators.MAX);
        }

        /** {@link #expAndSum} of the whole vectors of {@code [0, n)}; returns their end. */
        static int exp(float[] v, float sign, float shift, float[] out, int n) {
            int whole = wholeVectors(n);
            expAndSum(v, sign, shift, out, whole);
            return whole;
        }

        /** The exponentials of {@code [0, whole)} shifted by {@code -shift}, returning their sum. */
        static double expSum(float[] v, float shift, float[] out, int whole) {
            return expAndSum(v, 1f, shift, out, whole);
        }

        /**
         * {@link VectorGateKernels#exp} written out in the loop, not called: C2 left that call out of line
         * here, and a vector passed to a call that is not inlined is boxed on the heap (12 MB per two-tower
         * step; forcing the helper inline with {@code -XX:CompileCommand=inline} removed it). The
         * same operations in the same order, so the same bits ({@code ExpRowsTest}). Each vector is
         * also added to the returned sum while it is in registers, whether or not the caller wants it:
         * with a flag, C2 compiled the loop for the first caller's choice, and after the sigmoid's calls
         * the softmax's ran at half speed (two-tower's step 1.2 -> 2.3-3.9 ms outside its products).
         * The sum is kept in float lanes: converting each vector to two of doubles made the loop
         * ~0.50 ns per value instead of ~0.35 (two-tower's softmax pass ~830 -> ~680 us per step).
         */
        private static double expAndSum(float[] v, float sign, float shift, float[] out, int whole) {
            FloatVector lanes = FloatVector.zero(S);
            FloatVector ln2Hi = FloatVector.broadcast(S, -GateMath.LN2_HI), ln2Lo = FloatVector.broadcast(S, -GateMath.LN2_LO);
            FloatVector p2 = FloatVector.broadcast(S, GateMath.P2), p3 = FloatVector.broadcast(S, GateMath.P3);
            FloatVector p4 = FloatVector.broadcast(S, GateMath.P4), p5 = FloatVector.broadcast(S, GateMath.P5);
            for (int i = 0; i < whole; i += S.length()) {
                FloatVector x = FloatVector.fromArray(S, v, i).mul(sign).sub(shift);
                // clamped by compare and blend: Java's max and min cost several instructions each; same values, NaN kept
                x = x.blend(GateMath.EXP_MIN, x.lt(GateMath.EXP_MIN)).blend(GateMath.EXP_MAX, x.compare(VectorOperators.GT, GateMath.EXP_MAX));
                FloatVector t = x.mul(GateMath.LOG2E).add(GateMath.ROUND);
                FloatVector k = t.sub(GateMath.ROUND);
                FloatVector r = k.fma(ln2Hi, x);
                r = k.fma(ln2Lo, r);
                FloatVector p = r.fma(GateMath.P0, GateMath.P1).fma(r, p2).fma(r, p3).fma(r, p4).fma(r, p5);
                FloatVector e = p.fma(r.mul(r), r).add(1f);
                IntVector bits = (IntVector) t.reinterpretShape(I, 0);
                e = e.mul((FloatVector) bits.add(127).lanewise(VectorOperators.LSHL, 23).reinterpretShape(S, 0));
                e.intoArray(out, i);
                lanes = lanes.add(e);
            }
            // the lanes one by one in double, in lane order: converting them to double vectors (F2D)
            // was sometimes compiled without its intrinsic for the life of the JVM, its Java fallback
            // allocating ~600 B per row (text-LSTM's softmax head: ~680 kB per epoch)
            double sum = 0;
            for (int j = 0; j < S.length(); j++) sum += lanes.lane(j);
            return sum;
        }
    }
}
