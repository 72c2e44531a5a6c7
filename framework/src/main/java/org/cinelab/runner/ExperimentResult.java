package org.cinelab.runner;

import java.util.List;

/**
 * The outcome of an execution: its MLflow ids and every trial's final state, best first.
 *
 * @param best         the best finished trial by the objective, or null when every trial failed
 * @param idleFraction the share of worker time this execution's search spent with nothing to run
 *                     (0 with one worker or when nothing ran)
 */
public record ExperimentResult(String experimentId, String parentRunId, List<TrialSummary> trials, TrialSummary best,
                               double idleFraction) {

    /** One row of the summary table. */
    public record TrialSummary(String trialId, String runId, String runName, TrialState.Status status,
                               int epochs, double objective, java.util.Map<String, Double> test, String note) {}
}
