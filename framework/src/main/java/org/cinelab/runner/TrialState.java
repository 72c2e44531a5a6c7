package org.cinelab.runner;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * What survives a crash of one trial: its MLflow run, the epochs it has trained (its checkpoint
 * holds the weights at {@code epochsDone}), the per-epoch history, and how it ended. Written as
 * JSON next to the checkpoint after every epoch.
 */
public final class TrialState {
    public enum Status { PENDING, RUNNING, FINISHED, FAILED }

    public String trialId;
    public String runId;
    public int epochsDone;
    public Status status = Status.PENDING;
    public String failure;
    /** Why the trial stopped training: "completed" (max epochs) or "stopped at rung i". */
    public String stopReason;
    public List<EpochRecord> history = new ArrayList<>();
    public Map<String, Double> test = new LinkedHashMap<>();

    /** One epoch: mean training loss and validation metrics. */
    public static final class EpochRecord {
        public int epoch;
        public double trainLoss;
        public Map<String, Double> validation = new LinkedHashMap<>();

        public EpochRecord() {}

        EpochRecord(int epoch, double trainLoss, Map<String, Double> validation) {
            this.epoch = epoch;
            this.trainLoss = trainLoss;
            this.validation = new LinkedHashMap<>(validation);
        }
    }

    /** Validation value of {@code metric} after {@code epoch}, or NaN if that epoch was not trained. */
    public double validationAt(int epoch, String metric) {
        for (EpochRecord r : history) if (r.epoch == epoch) return r.validation.getOrDefault(metric, Double.NaN);
        return Double.NaN;
    }

    /** Validation value of {@code metric} at the last trained epoch, or NaN. */
    public double finalValidation(String metric) {
        return history.isEmpty() ? Double.NaN : history.get(history.size() - 1).validation.getOrDefault(metric, Double.NaN);
    }

    public boolean isDone() { return status == Status.FINISHED || status == Status.FAILED; }
}
