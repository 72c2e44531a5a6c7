package org.cinelab.models.dl4j;

import org.bytedeco.javacpp.FloatPointer;

import java.nio.FloatBuffer;

/**
 * What every stage of CineLab's trainers reads and writes in place: the network's flattened
 * parameters and gradient (DL4J's own arrays, as pointers for BLAS and as buffers for the loops), the
 * optimiser's state, and the updater that steps them.
 */
abstract class InPlaceStage {
    protected final DenseUpdater updater;
    protected final FloatPointer paramsPtr, gradsPtr;
    protected final FloatBuffer params, grads, state;

    InPlaceStage(DenseUpdater updater, FloatPointer paramsPtr, FloatPointer gradsPtr, FloatBuffer state) {
        this.updater = updater;
        this.paramsPtr = paramsPtr;
        this.gradsPtr = gradsPtr;
        this.params = paramsPtr.asBuffer();
        this.grads = gradsPtr.asBuffer();
        this.state = state;
    }
}
