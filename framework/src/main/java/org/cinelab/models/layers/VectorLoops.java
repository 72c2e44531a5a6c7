package org.cinelab.models.layers;

import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorOperators;
import jdk.incubator.vector.VectorSpecies;

import java.nio.ByteBuffer;

/** Small loops over float byte buffers, whole vectors when the JVM has the vector module, else scalar. */
final class VectorLoops {
    private static final boolean VECTOR = ModuleLayer.boot().findModule("jdk.incubator.vector").isPresent();

    private VectorLoops() {}

    /** {@code to[0..n) += from[0..n)}. */
    static void add(ByteBuffer from, int fromOffset, ByteBuffer to, int toOffset, int n) {
        int done = VECTOR ? Vectors.add(from, fromOffset, to, toOffset, n) : 0;
        for (int k = done; k < n; k++) to.putFloat(toOffset + 4 * k, to.getFloat(toOffset + 4 * k) + from.getFloat(fromOffset + 4 * k));
    }

    /** True if the {@code n} floats from {@code offset} are all zero. */
    static boolean allZero(ByteBuffer b, int offset, int n) {
        int done = 0;
        if (VECTOR) {
            done = Vectors.zeroPrefix(b, offset, n);
            if (done < 0) return false;
        }
        for (int k = done; k < n; k++) if (b.getFloat(offset + 4 * k) != 0f) return false;
        return true;
    }

    /** Loaded only when the module is present. */
    private static final class Vectors {
        private static final VectorSpecies<Float> S = FloatVector.SPECIES_PREFERRED;

        /** Adds whole vectors; returns how many values it added. */
        static int add(ByteBuffer from, int fromOffset, ByteBuffer to, int toOffset, int n) {
            int whole = n - n % S.length();
            for (int k = 0; k < whole; k += S.length()) {
                FloatVector.fromByteBuffer(S, to, toOffset + 4 * k, NativeMemory.ORDER)
                        .add(FloatVector.fromByteBuffer(S, from, fromOffset + 4 * k, NativeMemory.ORDER))
                        .intoByteBuffer(to, toOffset + 4 * k, NativeMemory.ORDER);
            }
            return whole;
        }

        /** How many leading values (whole vectors) are zero, or -1 if one of them is not. */
        static int zeroPrefix(ByteBuffer b, int offset, int n) {
            int whole = n - n % S.length();
            for (int k = 0; k < whole; k += S.length()) {
                if (FloatVector.fromByteBuffer(S, b, offset + 4 * k, NativeMemory.ORDER).compare(VectorOperators.NE, 0f).anyTrue()) return -1;
            }
            return whole;
        }
    }
}
