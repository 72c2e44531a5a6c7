package org.cinelab.models.layers;

import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.IntVector;
import jdk.incubator.vector.VectorMask;
import jdk.incubator.vector.VectorOperators;
import jdk.incubator.vector.VectorSpecies;
import org.nd4j.linalg.api.rng.Random;
import org.nd4j.linalg.factory.Nd4j;

/**
 * ND4J's inverted dropout mask ({@code DropOutInverted} on an array of ones, what DL4J's
 * {@code Dropout} draws) computed in Java: the same values bit for bit, from the calling thread's
 * ND4J generator, which is left where the native operation leaves it, so everything drawn after it
 * is unchanged too.
 * <p>
 * Why: libnd4j's generator is counter-based. Value i is a hash of the generator's two states and i,
 * and an operation over n values then moves the node state by a step that depends only on n. The
 * mask needs the low 32 bits of the hash, which take 32-bit arithmetic only and so vectorise: a
 * 65,536-value mask takes ~12 us here where the native operation takes ~290 us (scalar, one element
 * at a time). {@code DropoutMasksTest} checks values and state against the native operation.
 */
public final class DropoutMasks {
    private static final boolean VECTOR = ModuleLayer.boot().findModule("jdk.incubator.vector").isPresent();

    private DropoutMasks() {}

    /**
     * One mask of {@code n} values: 0 where dropped, else {@code 1 / retain} (in float, as the native
     * operation divides). A trainer keeps one per dropout layer and draws the next mask into it each step
     * (a new one per step was the steps' only garbage); between draws {@link #fill} may run on any thread,
     * in parts.
     */
    public static final class Draw {
        private int root, node, nodeStep, threshold;
        private float scale;

        /**
         * Becomes the next mask of {@code n} values with keep probability {@code retain}, taken from the
         * calling thread's ND4J generator, which moves on as the native operation moves it.
         */
        public Draw next(int n, double retain) {
            Random rng = Nd4j.getRandom();
            long rootState = rng.rootState(), nodeState = rng.nodeState();
            // A node state of 0 would be replaced by a constant here and not by the native operation: 1 in 2^64.
            rng.setStates(rootState, rewind(nodeState, n));
            float p = (float) retain;
            root = (int) rootState;
            node = (int) nodeState;
            nodeStep = (int) (nodeState + 24243287L);
            threshold = dropThreshold(p) ^ Integer.MIN_VALUE;
            scale = 1f / p;
            return this;
        }

        /** Writes values {@code [from, from + len)} of the mask to {@code out[at ..]}. */
        public void fill(float[] out, int at, int from, int len) {
            int done = VECTOR ? Vectors.fill(this, out, at, from, len) : 0;
            for (int k = done; k < len; k++) out[at + k] = value(from + k);
        }

        private float value(int i) {
            int c = i + 2; // libnd4j: s0 |= (i + 2) * (s1 + 24243287); s1 ^= (i + 2) * (s0 + 723829)
            int s0 = root | c * nodeStep;
            int s1 = node ^ c * (s0 + 723829);
            int u = Integer.rotateLeft((s1 ^ s0) * 0x9E3779BB, 5) * 5;
            return (u ^ Integer.MIN_VALUE) >= threshold ? 0f : scale; // unsigned u >= the dropping threshold
        }
    }

    /** libnd4j's {@code RandomGenerator::rewindH(steps)}: the node state after an operation over {@code steps} values. */
    static long rewind(long node, long steps) {
        int s0 = (int) node, s1 = (int) (node >>> 32);
        s1 ^= s0;
        int v0 = Integer.rotateLeft(s0, 26) ^ s1 ^ (s1 << 9);
        int v1 = Integer.rotateLeft(s1, 13);
        return ((v0 & 0xFFFFFFFFL) | ((long) v1 << 32)) ^ (steps ^ 0xDEADBEEFL);
    }

    /**
     * The smallest 32-bit value u whose uniform {@code (float) u / (float) 0xFFFFFFFF} is {@code >= p}
     * (the native operation drops those), as an unsigned int: the uniform rises with u, so comparing
     * u with it is the native comparison without the float conversion.
     */
    static int dropThreshold(float p) {
        long lo = 0, hi = 1L << 32;
        while (lo < hi) {
            long mid = (lo + hi) >>> 1;
            if ((float) mid / 4294967295f >= p) hi = mid; else lo = mid + 1;
        }
        return (int) lo; // found for any p <= 1: the largest u rounds to 2^32, whose uniform is 1
    }

    /** Loaded only when the module is present. */
    private static final class Vectors {
        private static final VectorSpecies<Integer> I = IntVector.SPECIES_PREFERRED;
        private static final VectorSpecies<Float> F = FloatVector.SPECIES_PREFERRED;
        private static final IntVector IOTA = IntVector.zero(I).addIndex(1);

        /** Fills whole vectors; returns how many values it wrote. */
        static int fill(Draw d, float[] out, int at, int from, int len) {
            if (I.length() != F.length()) return 0;
            FloatVector keep = FloatVector.broadcast(F, d.scale), zero = FloatVector.zero(F);
            int whole = len - len % I.length();
            for (int k = 0; k < whole; k += I.length()) {
                IntVector c = IOTA.add(from + k + 2);
                IntVector s0 = c.mul(d.nodeStep).or(d.root);
                IntVector s1 = c.mul(s0.add(723829)).lanewise(VectorOperators.XOR, d.node);
                IntVector u = s1.lanewise(VectorOperators.XOR, s0).mul(0x9E3779BB).lanewise(VectorOperators.ROL, 5).mul(5);
                VectorMask<Integer> drop = u.lanewise(VectorOperators.XOR, Integer.MIN_VALUE).compare(VectorOperators.GE, d.threshold);
                keep.blend(zero, drop.cast(F)).intoArray(out, at + k);
            }
            return whole;
        }
    }
}
