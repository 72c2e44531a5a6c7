package org.cinelab.models.dl4j;

import org.bytedeco.javacpp.FloatPointer;

import java.nio.FloatBuffer;

/**
 * What {@link TowerTrainer} trains between {@code x0} (the concatenated embeddings) and the one-unit
 * rating: dense layers ({@link DenseStack}) or DCN's cross network with them ({@link CrossHead}).
 * Buffers are {@code [batch, width]} row-major and allocated once.
 */
interface RatingHead {
    /** x0: the caller fills it before {@link #forward}. */
    FloatPointer inputPointer();

    FloatBuffer input();

    void forward(int batch);

    /** The rating of each example after {@link #forward}. */
    FloatBuffer output();

    /** Where the caller puts dLoss/d(rating) before {@link #backwardAndUpdate}. */
    FloatBuffer outputDelta();

    /**
     * Backprop from {@link #outputDelta()} to dLoss/dx0, written to {@code inputDelta} (replacing
     * what it held; {@code inputDeltaValues} the same memory), each layer's parameters updated as
     * soon as backprop no longer needs them (every gradient is still that of the parameters before the step).
     */
    void backwardAndUpdate(int batch, int iteration, int epoch, FloatPointer inputDelta, FloatBuffer inputDeltaValues);
}
