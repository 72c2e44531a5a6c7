package org.cinelab.runner;

import org.cinelab.search.TrialRecord;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * What survives a crash of one trial: who it is (index, bracket, sampled values and seed, stored
 * here rather than derived again), where the scheduler sent it (target epochs), its MLflow run,
 * the epochs trained (its checkpoint holds the weights at {@code epochsDone}), the per-epoch
 * history, and how it ended. Written atomically as JSON next to the checkpoint by whoever acts
 * on the trial: the search loop when it decides, the training thread after every epoch.
 */
public final class TrialState implements java.io.Serializable {
    /**
     * PENDING: created, no run yet. RUNNING: may train up to {@code target}. PAUSED: at its
     * target, waiting for the scheduler. FINISHING: told to stop, test evaluation pending.
     */
    public enum Status { PENDING, RUNNING, PAUSED, FINISHING, FINISHED, FAILED }

    public String trialId;
    /** Creation order, 0-based: the sampler's trial number. */
    public int index;
    public int bracket;
    public Map<String, Object> values = new LinkedHashMap<>();
    public long seed;
    /** The epoch the scheduler last allowed training up to. */
    public int target;
    public String runId;
    public int epochsDone;
    public Status status = Status.PENDING;
    public String failure;
    /** Why the trial stopped training: "completed N epochs", "stopped by hyperband at rung i ..." or "early stopped at epoch e ...". */
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
    public static final class EpochRecord implements java.io.Serializable {
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

    /** A new trial's state, as the search loop creates it. */
    static TrialState created(TrialRecord r) {
        TrialState s = new TrialState();
        s.trialId = r.id();
        s.index = r.index();
        s.bracket = r.bracket();
        s.values = new LinkedHashMap<>(r.values());
        s.seed = r.seed();
        s.target = r.target();
        return s;
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

    /** Per-epoch values of {@code metric}, index e - 1 for epoch e (NaN where missing). */
    public double[] validationSeries(String metric) {
        double[] out = new double[epochsDone];
        java.util.Arrays.fill(out, Double.NaN);
        for (EpochRecord r : history) if (r.epoch >= 1 && r.epoch <= epochsDone) out[r.epoch - 1] = r.validation.getOrDefault(metric, Double.NaN);
        return out;
    }

    /** The epoch whose model stands for the trial: the best one with early stopping, else the last. */
    public int modelEpoch() { return bestEpoch > 0 ? bestEpoch : epochsDone; }

    /** The trial's objective as trials are ranked: validation at {@link #modelEpoch()}, or NaN. */
    public double objective(String metric) {
        return bestEpoch > 0 ? validationAt(bestEpoch, metric) : finalValidation(metric);
    }

    public boolean isDone() { return status == Status.FINISHED || status == Status.FAILED; }

    /** The search engine's view of this trial. */
    TrialRecord toRecord(String metric) {
        TrialRecord r = new TrialRecord(trialId, index, bracket, values, seed, target);
        double[] series = validationSeries(metric);
        for (int e = 1; e <= series.length; e++) r.report(e, series[e - 1]);
        r.earlyStopped(earlyStopped);
        r.status(switch (status) {
            case PENDING, RUNNING -> TrialRecord.Status.RUNNING;
            // Below its target: cut short by another trial's crash in a version before 2026-12-03, not paused by a scheduler.
            case PAUSED -> epochsDone < target ? TrialRecord.Status.RUNNING : TrialRecord.Status.PAUSED;
            case FINISHING -> TrialRecord.Status.FINISHING;
            case FINISHED -> TrialRecord.Status.FINISHED;
            case FAILED -> TrialRecord.Status.FAILED;
        });
        return r;
    }
}
