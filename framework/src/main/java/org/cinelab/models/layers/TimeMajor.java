package org.cinelab.models.layers;

import org.nd4j.linalg.api.ndarray.INDArray;

import java.nio.ByteBuffer;

/**
 * Copies DL4J sequence arrays ([batch, width, steps], any strides) into time-major rows
 * ({@code (t * batch + b) * width + w}), the layout {@link LstmKernel} works in. An array that already
 * has that layout (a permuted [steps, batch, width] c-order array, as CineLab's layers output) is one
 * bulk copy; otherwise the loop order follows the source's smallest stride, and batch-contiguous
 * columns of zeros (most of what LastTimeStep passes back) are skipped.
 */
final class TimeMajor {
    private TimeMajor() {}

    static void copy(INDArray source, NativeFloats destination) {
        ByteBuffer rows = destination.bytes();
        int batch = (int) source.size(0), width = (int) source.size(1), steps = (int) source.size(2);
        long n = (long) batch * width * steps;
        if (n == 0) return;
        ByteBuffer in = NativeMemory.bytes(source);
        if (NativeMemory.hasStrides(source, width, 1, (long) batch * width)) {
            rows.put(0, in, 0, (int) (n * Float.BYTES));
            return;
        }
        long[] s = source.stride();
        int sb = (int) s[0], sw = (int) s[1], st = (int) s[2];
        if (sb == 1) {
            // Batch-contiguous, as DL4J's LastTimeStep passes the gradient: zero everywhere but the last step.
            // Zero the rows, then copy only the runs of the batch that hold something.
            NativeMemory.zero(destination.address(), n);
            for (int t = 0; t < steps; t++) {
                for (int w = 0; w < width; w++) {
                    int from = 4 * (w * sw + t * st), to = 4 * (t * batch * width + w);
                    if (VectorLoops.allZero(in, from, batch)) continue;
                    for (int b = 0; b < batch; b++) rows.putFloat(to + 4 * b * width, in.getFloat(from + 4 * b));
                }
            }
        } else {
            for (int t = 0; t < steps; t++) {
                for (int b = 0; b < batch; b++) {
                    int from = 4 * (b * sb + t * st), to = 4 * ((t * batch + b) * width);
                    for (int w = 0; w < width; w++) rows.putFloat(to + 4 * w, in.getFloat(from + 4 * w * sw));
                }
            }
        }
    }

    /** A [batch, steps] mask into time-major values {@code t * batch + b}. */
    static void copyMask(INDArray mask, ByteBuffer rows) {
        int batch = (int) mask.size(0), steps = (int) mask.size(1);
        ByteBuffer in = NativeMemory.bytes(mask);
        long[] s = mask.stride();
        for (int t = 0; t < steps; t++) {
            for (int b = 0; b < batch; b++) rows.putFloat(4 * (t * batch + b), in.getFloat((int) (4 * (b * s[0] + t * s[1]))));
        }
    }
}
