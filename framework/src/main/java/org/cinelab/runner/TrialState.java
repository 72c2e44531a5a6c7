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
    /** Why the trial stopped training: "completed" (max epochs), "stopped at rung i" or "early stopped at epoch e". */
    public String stopReason;
    /**
     * With early stopping, the epoch of the best validation objective so far, whose checkpoint is
     * kept: the trial's test metrics and model come from it. 0 without early stopping (the last epoch counts).
     */
    public int bestEpoch;
    /** Early stopping ran out of patience: the trial trains no more, whatever the scheduler says. */
    public boolean earlyStopped;
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

    /** The epoch whose model stands for the trial: the best one with early stopping, else the last. */
    public int modelEpoch() { return bestEpoch > 0 ? bestEpoch : epochsDone; }

    /** The trial's objective as trials are ranked: validation at {@link #modelEpoch()}, or NaN. */
    public double objective(String metric) {
        return bestEpoch > 0 ? validationAt(bestEpoch, metric) : finalValidation(metric);
    }

    public boolean isDone() { return status == Status.FINISHED || status == Status.FAILED; }
}
