package org.cinelab.models.layers;

import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.indexing.NDArrayIndex;

import java.nio.ByteBuffer;

/**
 * A growable float array in native memory, allocated through ND4J outside any workspace (so it is
 * counted against JavaCPP's off-heap limits and survives across iterations), read and written by Java
 * through a {@link ByteBuffer} and by BLAS through its address. It grows, never shrinks, so a layer
 * stops allocating once it has seen its largest minibatch.
 */
final class NativeFloats {
    private INDArray array;
    private ByteBuffer bytes;
    private long address;
    private long capacity;

    /** Makes room for at least {@code floats} values; the contents are lost when it grows. */
    NativeFloats ensure(long floats) {
        if (floats <= capacity) return this;
        if (floats * Float.BYTES > Integer.MAX_VALUE) {
            throw new IllegalArgumentException("a working buffer of " + floats + " floats exceeds 2 GB: use smaller minibatches or shorter sequences");
        }
        if (array != null) array.close();
        long grown = Math.max(floats, capacity + capacity / 4);
        if (grown * Float.BYTES > Integer.MAX_VALUE) grown = floats;
        array = Nd4j.createUninitializedDetached(DataType.FLOAT, grown);
        address = NativeMemory.address(array);
        bytes = NativeMemory.bytes(address, grown);
        capacity = grown;
        return this;
    }

    long address() { return address; }

    /** Address of element {@code index}. */
    long address(long index) { return address + index * Float.BYTES; }

    ByteBuffer bytes() { return bytes; }

    long capacity() { return capacity; }

    /** A c-order view of the first {@code prod(shape)} elements, for ND4J to read or write. */
    INDArray view(long... shape) {
        long n = 1;
        for (long s : shape) n *= s;
        return array.get(NDArrayIndex.interval(0, n)).reshape('c', shape);
    }

    void fill(long from, long to, float value) {
        for (long i = from; i < to; i++) bytes.putFloat((int) (i * Float.BYTES), value);
    }
}
