package org.cinelab.models.dl4j;

import org.bytedeco.javacpp.FloatPointer;

import java.nio.FloatBuffer;
import java.util.List;

/**
 * DCN's head from {@code x0} to the rating: the cross network ({@link CrossStage}) and the dense
 * layers ({@link DenseStack}), stacked ({@code x0 -> cross -> dense layers -> rating}) or parallel
 * ({@code [cross(x0) | dense layers(x0)] -> rating}: the output layer is a stack of its own on the
 * concatenation, whose gradient is split back between the two). Dropout masks are drawn in DL4J's
 * order: the dense layers', then the output layer's.
 */
final class CrossHead implements RatingHead {
    private final CrossStage cross;
    private final int width;
    /** Stacked: the whole head on the cross output. Parallel: the dense layers on x0 (null when there are none). */
    private final DenseStack deep;
    /** Parallel: the output layer on [cross output | dense output]; stacked: {@link #deep}. */
    private final DenseStack top;
    private final boolean parallel;
    private final FloatPointer x0;
    private final FloatBuffer x0Values;
    /** Parallel: the cross output, dLoss/d(the concatenation), and one row of it for the copies. */
    private final FloatPointer crossOut, mergedDelta;
    private final FloatBuffer crossOutValues, mergedDeltaValues;
    private final float[] row;

    CrossHead(TowerLayout layout, DenseUpdater updater, FloatPointer paramsPtr, FloatPointer gradsPtr, FloatBuffer state, int maxBatch) {
        TowerLayout.Cross c = layout.cross();
        List<DenseLayout.Layer> head = layout.head();
        this.width = c.width();
        this.parallel = layout.parallel();
        if (!parallel) {
            deep = new DenseStack(head, updater, paramsPtr, gradsPtr, state, maxBatch);
            top = deep;
            x0 = Nd4jBuffers.allocate((long) maxBatch * width);
            cross = new CrossStage(c, updater, paramsPtr, gradsPtr, state, maxBatch, x0, deep.inputPointer());
            crossOut = mergedDelta = null;
            crossOutValues = mergedDeltaValues = null;
            row = null;
        } else {
            deep = head.size() == 1 ? null : new DenseStack(head.subList(0, head.size() - 1), updater, paramsPtr, gradsPtr, state, maxBatch);
            top = new DenseStack(head.subList(head.size() - 1, head.size()), updater, paramsPtr, gradsPtr, state, maxBatch);
            x0 = deep != null ? deep.inputPointer() : Nd4jBuffers.allocate((long) maxBatch * width);
            crossOut = Nd4jBuffers.allocate((long) maxBatch * width);
            crossOutValues = crossOut.asBuffer();
            cross = new CrossStage(c, updater, paramsPtr, gradsPtr, state, maxBatch, x0, crossOut);
            mergedDelta = Nd4jBuffers.allocate((long) maxBatch * top.inputs());
            mergedDeltaValues = mergedDelta.asBuffer();
            row = new float[top.inputs()];
        }
        x0Values = x0.asBuffer();
    }

    @Override
    public FloatPointer inputPointer() { return x0; }

    @Override
    public FloatBuffer input() { return x0Values; }

    @Override
    public FloatBuffer output() { return top.output(); }

    @Override
    public FloatBuffer outputDelta() { return top.outputDelta(); }

    @Override
    public void forward(int batch) {
        cross.forward(batch);
        if (!parallel) {
            deep.forward(batch);
            return;
        }
        if (deep != null) deep.forward(batch);
        FloatBuffer beside = deep != null ? deep.output() : x0Values, merged = top.input();
        int besideWidth = top.inputs() - width;
        for (int k = 0; k < batch; k++) {
            crossOutValues.get(k * width, row, 0, width);
            beside.get(k * besideWidth, row, width, besideWidth);
            merged.put(k * row.length, row, 0, row.length);
        }
        top.forward(batch);
    }

    @Override
    public void backwardAndUpdate(int batch, int iteration, int epoch, FloatPointer inputDelta, FloatBuffer inputDeltaValues) {
        if (!parallel) {
            deep.backwardAndUpdate(batch, iteration, epoch, cross.outputDeltaPointer(), cross.outputDelta());
            cross.backwardAndUpdate(batch, iteration, epoch, inputDeltaValues, false);
            return;
        }
        top.backwardAndUpdate(batch, iteration, epoch, mergedDelta, mergedDeltaValues);
        // split dLoss/d[cross | beside]; beside is the dense layers' activations (or x0 itself)
        FloatBuffer crossDelta = cross.outputDelta(), besideDelta = deep != null ? deep.outputDelta() : inputDeltaValues;
        int besideWidth = top.inputs() - width;
        for (int k = 0; k < batch; k++) {
            mergedDeltaValues.get(k * row.length, row, 0, row.length);
            crossDelta.put(k * width, row, 0, width);
            besideDelta.put(k * besideWidth, row, width, besideWidth);
        }
        if (deep != null) {
            deep.outputDeltaThroughActivation(batch);
            deep.backwardAndUpdate(batch, iteration, epoch, inputDelta, inputDeltaValues);
        }
        cross.backwardAndUpdate(batch, iteration, epoch, inputDeltaValues, true);
    }
}
