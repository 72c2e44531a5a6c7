package org.cinelab.models.dl4j;

import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

import java.nio.FloatBuffer;
import java.util.Arrays;
import java.util.HashMap;
import java.util.Map;

/**
 * Minibatches gathered by row index from a fixed FLOAT array ({@code [n, ...]}, row-major) into
 * arrays reused from step to step, one per batch size. ND4J's {@code getRows} builds a view and its
 * shape buffers per row: 1,539 native buffers for a batch of 128, eight times what DL4J's whole
 * training step of the S1 text-LSTM creates.
 *
 * <p>The array {@link #rows} returns is overwritten by the next call with the same batch size: use
 * it for one step (DL4J's {@code fit} keeps no reference to its input after the step).
 */
public final class RowGather {
    private final INDArray source;
    private final FloatBuffer values;
    private final int rowLength;
    private final Map<Integer, INDArray> batches = new HashMap<>();
    private final Map<Integer, FloatBuffer> batchValues = new HashMap<>();

    public RowGather(INDArray source) {
        if (source.dataType() != DataType.FLOAT || source.rank() < 2) {
            throw new IllegalArgumentException("expected a FLOAT array of rank >= 2, got " + source.dataType() + " " + Arrays.toString(source.shape()));
        }
        INDArray dense = source.isView() || source.ordering() != 'c' ? source.dup('c') : source;
        this.source = dense;
        this.values = dense.length() == 0 ? FloatBuffer.allocate(0) : Nd4jBuffers.floats(dense);
        this.rowLength = (int) (dense.length() / Math.max(1, dense.size(0)));
    }

    /** Rows {@code index[0..]} of the source, in that order, as a {@code [index.length, ...]} array reused for this batch size. */
    public INDArray rows(int[] index) {
        INDArray batch = batches.computeIfAbsent(index.length, b -> {
            long[] shape = source.shape().clone();
            shape[0] = b;
            return Nd4j.create(DataType.FLOAT, shape, 'c');
        });
        FloatBuffer to = batchValues.computeIfAbsent(index.length, b -> Nd4jBuffers.floats(batch));
        for (int k = 0; k < index.length; k++) to.put(k * rowLength, values, index[k] * rowLength, rowLength);
        return batch;
    }
}
