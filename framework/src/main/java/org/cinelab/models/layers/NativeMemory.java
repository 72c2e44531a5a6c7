package org.cinelab.models.layers;

import org.bytedeco.javacpp.FloatPointer;
import org.bytedeco.javacpp.Pointer;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.FloatBuffer;

/**
 * Raw access to the float memory behind ND4J arrays: the address of an array's first element (for
 * BLAS) and a bounds-checked little-endian {@link ByteBuffer} over exactly the elements it spans (for
 * Java loops). ND4J's own {@code assign} between differently strided arrays ran at ~40 ns per element
 * here, too slow for per-batch copies of [batch, width, steps] sequences.
 */
public final class NativeMemory {
    static final ByteOrder ORDER = ByteOrder.LITTLE_ENDIAN;

    private NativeMemory() {}

    /** A float pointer whose address is set, not allocated: it never owns or frees memory. */
    static final class Address extends FloatPointer {
        Address() {
            super((Pointer) null);
        }

        Address at(long address, long floats) {
            this.address = address;
            this.position = 0;
            this.limit = floats;
            this.capacity = floats;
            return this;
        }
    }

    /** Address of element 0 of a FLOAT array (views included). */
    static long address(INDArray a) {
        if (a.dataType() != DataType.FLOAT) {
            throw new IllegalArgumentException("expected a FLOAT array, got " + a.dataType());
        }
        return a.data().address() + a.offset() * Float.BYTES;
    }

    /** Elements from element 0 to the last one the array's (non-negative) strides reach, inclusive. */
    static long extent(INDArray a) {
        long[] shape = a.shape(), stride = a.stride();
        long last = 0;
        for (int d = 0; d < shape.length; d++) {
            if (shape[d] == 0) return 0;
            if (stride[d] < 0) throw new IllegalArgumentException("negative strides are not supported");
            last += (shape[d] - 1) * stride[d];
        }
        return last + 1;
    }

    /** A little-endian view of the floats the array spans; index {@code 4 * (sum of index[d] * stride[d])}. */
    static ByteBuffer bytes(INDArray a) {
        return bytes(address(a), extent(a));
    }

    /**
     * The floats of a direct buffer (index 0 at its address) as bytes in native order, for the in-place
     * passes ({@link OptimiserSteps}, {@link InPlaceRows}); null for a buffer over 2 GB, which a byte
     * buffer cannot span (the caller takes its heap-chunk path).
     */
    public static ByteBuffer bytes(FloatBuffer floats) {
        if ((long) floats.capacity() * Float.BYTES > Integer.MAX_VALUE) return null;
        return bytes(new FloatPointer(floats).address(), floats.capacity());
    }

    static ByteBuffer bytes(long address, long floats) {
        if (floats * Float.BYTES > Integer.MAX_VALUE) {
            throw new IllegalArgumentException(floats + " floats exceed a 2 GB buffer; use smaller minibatches");
        }
        if (floats == 0) return ByteBuffer.allocate(0).order(ORDER);
        return new Address().at(address, floats).asByteBuffer().order(ORDER);
    }

    /**
     * Each thread's two pointers for {@link #copy} and {@link #zero}, re-aimed per call: two made per call
     * were the LSTM step's only garbage (its bias copy: ~96 B a step, time-lstm's 25 kB an epoch).
     */
    private static final ThreadLocal<Address[]> SCRATCH = ThreadLocal.withInitial(() -> new Address[]{new Address(), new Address()});

    /** Copies {@code floats} values between native addresses (regions must not overlap). */
    static void copy(long from, long to, long floats) {
        if (floats == 0) return;
        Address[] p = SCRATCH.get();
        Pointer.memcpy(p[0].at(to, floats), p[1].at(from, floats), floats * Float.BYTES);
    }

    /** Sets {@code floats} values at a native address to 0. */
    static void zero(long address, long floats) {
        if (floats == 0) return;
        Pointer.memset(SCRATCH.get()[0].at(address, floats), 0, floats * Float.BYTES);
    }

    /** True if the array's strides equal {@code expected} (dimensions of size 1 may have any stride). */
    static boolean hasStrides(INDArray a, long... expected) {
        long[] shape = a.shape(), stride = a.stride();
        if (stride.length != expected.length) return false;
        for (int d = 0; d < expected.length; d++) {
            if (shape[d] > 1 && stride[d] != expected[d]) return false;
        }
        return true;
    }
}
