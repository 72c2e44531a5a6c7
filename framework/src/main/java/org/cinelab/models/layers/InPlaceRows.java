package org.cinelab.models.layers;

import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.IntVector;
import jdk.incubator.vector.VectorOperators;
import jdk.incubator.vector.VectorSpecies;

import java.nio.ByteBuffer;

/**
 * The dense trainers' element-wise passes over a batch's rows, read and written in place in native
 * memory ({@link NativeMemory#bytes(java.nio.FloatBuffer)} views), whole vectors at a time: bias and
 * ReLU, an activation's derivative, a bias gradient's column sums. Copied through heap chunks they took
 * ~0.4 ns per value, 1.3 ms of a 20 ms DEC step. Each value is computed by the scalar loops' operations
 * in their order, so the bits are those of the scalar passes, with or without the vector module.
 * Indices are floats, not bytes.
 */
public final class InPlaceRows {
    private static final boolean VECTOR = ModuleLayer.boot().findModule("jdk.incubator.vector").isPresent();

    private InPlaceRows() {}

    /** {@code z[i] += bias[i mod width]}, then {@code max(z[i], 0)} if {@code relu}, for {@code i} in {@code [from, to)}: whole rows. */
    public static void addBias(ByteBuffer z, float[] bias, int width, int from, int to, boolean relu) {
        for (int row = from; row < to; row += width) {
            int j = VECTOR ? Vectors.addBias(z, bias, row, width, relu) : 0;
            for (; j < width; j++) {
                float v = z.getFloat(4 * (row + j)) + bias[j];
                z.putFloat(4 * (row + j), relu ? Math.max(v, 0f) : v);
            }
        }
    }

    /**
     * {@code d[i]} where {@code a[i] > 0}, else +0, for {@code a} a ReLU's outputs (so never negative):
     * {@code bits(d) & (−bits(a) >> 31)}, which keeps {@code d} exactly when {@code a}'s bits are positive.
     */
    public static void timesReluDerivative(ByteBuffer d, ByteBuffer a, int from, int to) {
        int i = VECTOR ? Vectors.timesReluDerivative(d, a, from, to) : from;
        for (; i < to; i++) {
            d.putInt(4 * i, d.getInt(4 * i) & (-a.getInt(4 * i) >> 31));
        }
    }

    /** {@code d[i] *= a[i]·(1 − a[i])}, for {@code a} a sigmoid's outputs. */
    public static void timesSigmoidDerivative(ByteBuffer d, ByteBuffer a, int from, int to) {
        int i = VECTOR ? Vectors.timesSigmoidDerivative(d, a, from, to) : from;
        for (; i < to; i++) {
            float ai = a.getFloat(4 * i);
            d.putFloat(4 * i, d.getFloat(4 * i) * (ai * (1 - ai)));
        }
    }

    /** {@code d[i] *= 1 − a[i]²}, for {@code a} a tanh's outputs. */
    public static void timesTanhDerivative(ByteBuffer d, ByteBuffer a, int from, int to) {
        int i = VECTOR ? Vectors.timesTanhDerivative(d, a, from, to) : from;
        for (; i < to; i++) {
            float ai = a.getFloat(4 * i);
            d.putFloat(4 * i, d.getFloat(4 * i) * (1 - ai * ai));
        }
    }

    /** {@code sums[j] = Σ d[r·width + j]} over rows {@code r < rows} in order, from 0, for columns {@code [from, to)}. */
    public static void columnSums(ByteBuffer d, int rows, int width, int from, int to, float[] sums) {
        int j = VECTOR ? Vectors.columnSums(d, rows, width, from, to, sums) : from;
        for (; j < to; j++) {
            float s = 0;
            for (int r = 0; r < rows; r++) s += d.getFloat(4 * (r * width + j));
            sums[j] = s;
        }
    }

    /** Loaded only when the module is present; each method returns where it stopped, the caller does the rest. */
    private static final class Vectors {
        private static final VectorSpecies<Float> S = FloatVector.SPECIES_PREFERRED;
        private static final VectorSpecies<Integer> I = IntVector.SPECIES_PREFERRED;
        private static final int L = S.length();

        static int addBias(ByteBuffer z, float[] bias, int row, int width, boolean relu) {
            int whole = width - width % L;
            for (int j = 0; j < whole; j += L) {
                int at = 4 * (row + j);
                FloatVector v = FloatVector.fromByteBuffer(S, z, at, NativeMemory.ORDER).add(FloatVector.fromArray(S, bias, j));
                if (relu) v = v.max(0f);
                v.intoByteBuffer(z, at, NativeMemory.ORDER);
            }
            return whole;
        }

        static int timesReluDerivative(ByteBuffer d, ByteBuffer a, int from, int to) {
            int end = from + (to - from) / L * L;
            for (int i = from; i < end; i += L) {
                IntVector keep = IntVector.fromByteBuffer(I, a, 4 * i, NativeMemory.ORDER).neg().lanewise(VectorOperators.ASHR, 31);
                IntVector.fromByteBuffer(I, d, 4 * i, NativeMemory.ORDER).and(keep).intoByteBuffer(d, 4 * i, NativeMemory.ORDER);
            }
            return end;
        }

        static int timesSigmoidDerivative(ByteBuffer d, ByteBuffer a, int from, int to) {
            int end = from + (to - from) / L * L;
            FloatVector one = FloatVector.broadcast(S, 1f);
            for (int i = from; i < end; i += L) {
                FloatVector ai = FloatVector.fromByteBuffer(S, a, 4 * i, NativeMemory.ORDER);
                FloatVector.fromByteBuffer(S, d, 4 * i, NativeMemory.ORDER).mul(ai.mul(one.sub(ai))).intoByteBuffer(d, 4 * i, NativeMemory.ORDER);
            }
            return end;
        }

        static int timesTanhDerivative(ByteBuffer d, ByteBuffer a, int from, int to) {
            int end = from + (to - from) / L * L;
            FloatVector one = FloatVector.broadcast(S, 1f);
            for (int i = from; i < end; i += L) {
                FloatVector ai = FloatVector.fromByteBuffer(S, a, 4 * i, NativeMemory.ORDER);
                FloatVector.fromByteBuffer(S, d, 4 * i, NativeMemory.ORDER).mul(one.sub(ai.mul(ai))).intoByteBuffer(d, 4 * i, NativeMemory.ORDER);
            }
            return end;
        }

        /** Four vectors of columns at a time down the rows, then one: the sums stay in registers. */
        static int columnSums(ByteBuffer d, int rows, int width, int from, int to, float[] sums) {
            int j = from;
            for (; j + 4 * L <= to; j += 4 * L) {
                FloatVector s0 = FloatVector.zero(S), s1 = s0, s2 = s0, s3 = s0;
                for (int r = 0, at = 4 * j; r < rows; r++, at += 4 * width) {
                    s0 = s0.add(FloatVector.fromByteBuffer(S, d, at, NativeMemory.ORDER));
                    s1 = s1.add(FloatVector.fromByteBuffer(S, d, at + 4 * L, NativeMemory.ORDER));
                    s2 = s2.add(FloatVector.fromByteBuffer(S, d, at + 8 * L, NativeMemory.ORDER));
                    s3 = s3.add(FloatVector.fromByteBuffer(S, d, at + 12 * L, NativeMemory.ORDER));
                }
                s0.intoArray(sums, j);
                s1.intoArray(sums, j + L);
                s2.intoArray(sums, j + 2 * L);
                s3.intoArray(sums, j + 3 * L);
            }
            for (; j + L <= to; j += L) {
                FloatVector s = FloatVector.zero(S);
                for (int r = 0, at = 4 * j; r < rows; r++, at += 4 * width) s = s.add(FloatVector.fromByteBuffer(S, d, at, NativeMemory.ORDER));
                s.intoArray(sums, j);
            }
            return j;
        }
    }
}
