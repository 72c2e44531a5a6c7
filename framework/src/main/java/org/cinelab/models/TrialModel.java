package org.cinelab.models;

import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.nio.file.Path;
import java.util.Map;

/**
 * One trial's model, trained one epoch at a time so that a scheduler can stop it, and saved and
 * restored so that a promoted or interrupted trial continues instead of starting over.
 */
public interface TrialModel {
    enum Split { VALIDATION, TEST }

    /**
     * Trains epoch {@code epoch} (1-based) and returns the mean training loss. Randomness used in
     * the epoch (e.g. shuffling) must derive from the trial seed and {@code epoch} alone.
     */
    double trainEpoch(int epoch);

    /** Metrics on a held-out split, keyed by {@link ModelFactory#metricNames()}. */
    Map<String, Double> evaluate(Split split);

    /** Writes everything needed to continue training (weights, optimiser state). */
    void saveCheckpoint(DataOutputStream out) throws IOException;

    /** Restores a state written by {@link #saveCheckpoint} into a model created with the same settings. */
    void loadCheckpoint(DataInputStream in) throws IOException;

    /** Writes the trained model as files under {@code dir}, to be logged as the trial's model artifact. */
    void exportModel(Path dir) throws IOException;

    /** Number of trainable parameters, logged with each trial. */
    long parameterCount();

    /** Tags the trial's run records about how the model computed (e.g. which trainer ran its steps), set when it finishes. */
    default Map<String, String> tags() { return Map.of(); }
}
