package org.cinelab.runner;

import org.cinelab.search.EarlyStopping;
import org.cinelab.search.Objective;

import java.io.Serializable;
import java.util.Map;

/**
 * What any process needs, besides the data, the tracker and the state storage, to train segments of
 * one execution's trials and log them as the driver would: the resolved spec (to find the model and
 * resolve each trial's hyperparameters), the MLflow experiment and parent run, the provenance tags
 * and shared params every child run gets, and the objective and early stopping. Made on the driver;
 * serializable, so a cluster can ship it to its executors.
 *
 * @param resolvedSpec the resolved {@code spec.yaml} (loads back to the same spec)
 * @param specFile     the spec's path as given, for messages
 * @param maxEpochs    a trial that reaches it stops (what every scheduler's {@code onResult} does)
 */
public record TrialContext(String resolvedSpec, String specFile, String experimentId, String parentRunId,
                           Map<String, String> provenance, Map<String, String> sharedParams, boolean resuming,
                           Objective objective, EarlyStopping earlyStopping, int maxEpochs) implements Serializable {
    public TrialContext {
        provenance = Map.copyOf(provenance);
        sharedParams = Map.copyOf(sharedParams);
    }
}
