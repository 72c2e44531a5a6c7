package org.cinelab.runner;

import java.util.List;

/**
 * The outcome of an execution: its MLflow ids and every trial's final state, best first.
 *
 * @param best         the best finished trial by the objective, or null when every trial failed
 * @param idleFraction the share of worker time with nothing to do while the search ran (0 with one
 *                     worker that always had a trial; NaN when nothing ran in this process)
 */
public record ExperimentResult(String experimentId, String parentRunId, List<TrialSummary> trials, TrialSummary best,
                               double idleFraction) {

    /** One row of the summary table; {@code values} are the trial's sampled hyperparameters. */
    public record TrialSummary(String trialId, String runId, String runName, java.util.Map<String, Object> values,
                               TrialState.Status status, int epochs, double objective, java.util.Map<String, Double> test,
                               String note) {}
}
