package org.cinelab.models.dl4j;

import org.bytedeco.javacpp.FloatPointer;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;

import java.nio.FloatBuffer;

/** Direct access to the native memory of ND4J arrays, for code that loops over it or hands it to BLAS. */
final class Nd4jBuffers {
    private Nd4jBuffers() {}

    /** The elements of a dense FLOAT array in row-major order, as a direct buffer starting at its first element. */
    static FloatBuffer floats(INDArray a) {
        if (a.dataType() != DataType.FLOAT) throw new IllegalArgumentException("expected a FLOAT array, got " + a.dataType());
        if (a.length() > 1 && (a.ordering() != 'c' && !a.isVector() || a.elementWiseStride() != 1)) {
            throw new IllegalArgumentException("expected a contiguous row-major array");
        }
        FloatBuffer b = a.data().asNioFloat().slice();
        if (b.remaining() < a.length()) throw new IllegalStateException("array buffer shorter than the array");
        return b.limit((int) a.length()).slice();
    }

    /** The same memory as {@link #floats} as a pointer for native calls. */
    static FloatPointer pointer(INDArray a) {
        return new FloatPointer(floats(a));
    }

    /** Zeroed native memory owned by the caller (released when the pointer is collected). */
    static FloatPointer allocate(long floats) {
        FloatPointer p = new FloatPointer(floats);
        p.zero();
        return p;
    }
}
