package org.cinelab.models;

import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;

/**
 * Extra additive terms of a biased-MF prediction (e.g. time-binned item biases), learnt in the same
 * SGD pass as the biases and factors. Training rows are addressed by their index in the training
 * table so an implementation can precompute per-row features once.
 */
interface BiasTerms {
    /** No extra terms: plain biased MF. Writes nothing to checkpoints, so biased-mf's format is unchanged. */
    BiasTerms NONE = new BiasTerms() {
        @Override public float train(int row) { return 0; }
        @Override public void update(int row, float err) {}
        @Override public float predict(int user, int item, long timestamp) { return 0; }
        @Override public void save(DataOutputStream out) {}
        @Override public void load(DataInputStream in) {}
        @Override public long parameterCount() { return 0; }
        @Override public String describe() { return ""; }
    };

    /** The terms' value for training row {@code row}. */
    float train(int row);

    /** One SGD step for training row {@code row} given the prediction error {@code err = r - r̂}. */
    void update(int row, float err);

    /** The terms' value for any (user, item, time), e.g. a held-out rating. */
    float predict(int user, int item, long timestamp);

    void save(DataOutputStream out) throws IOException;

    void load(DataInputStream in) throws IOException;

    long parameterCount();

    /** Lines for the exported model's README (empty when there are no terms). */
    String describe();
}
