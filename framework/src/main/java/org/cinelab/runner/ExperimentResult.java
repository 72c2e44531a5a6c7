package org.cinelab.runner;

import java.util.List;

/**
 * The outcome of an execution: its MLflow ids and every trial's final state, best first.
 *
 * @param best the best finished trial by the objective, or null when every trial failed
 */
public record ExperimentResult(String experimentId, String parentRunId, List<TrialSummary> trials, TrialSummary best) {

    /** One row of the summary table. */
    public record TrialSummary(String trialId, String runId, String runName, TrialState.Status status,
                               int epochs, double objective, java.util.Map<String, Double> test, String note) {}
}
