package org.cinelab.search;

import java.util.Arrays;
import java.util.Map;

/**
 * What the search engine knows of one trial: its identity and sampled values, where the
 * scheduler sent it ({@link #bracket()}, {@link #target()}), how far it has trained and its
 * validation objective after every epoch. Samplers read these as the history; schedulers decide
 * from them alone, so that a search rebuilt from stored records after a crash decides the same.
 * Owned by the search loop's thread.
 */
public final class TrialRecord {
    /**
     * RUNNING: granted epochs up to {@link #target()} and not yet paused there (training, or
     * queued to). PAUSED: at its target, waiting for the scheduler. FINISHING: told to stop; its
     * test evaluation is pending. FINISHED and FAILED are final.
     */
    public enum Status { RUNNING, PAUSED, FINISHING, FINISHED, FAILED;
        public boolean isDone() { return this == FINISHED || this == FAILED; }
    }

    private final String id;
    private final int index;
    private final int bracket;
    private final Map<String, Object> values;
    private final long seed;
    private Status status = Status.RUNNING;
    private int target;
    private double[] objectives = new double[0];
    private boolean earlyStopped;

    public TrialRecord(String id, int index, int bracket, Map<String, Object> values, long seed, int target) {
        this.id = id;
        this.index = index;
        this.bracket = bracket;
        this.values = java.util.Collections.unmodifiableSortedMap(new java.util.TreeMap<>(values));
        this.seed = seed;
        this.target = target;
    }

    public String id() { return id; }

    /** 0-based creation order: the sampler's trial number. */
    public int index() { return index; }

    /** The scheduler's bracket (Hyperband's s), 0 when there is one. */
    public int bracket() { return bracket; }

    /** Sampled values, active parameters only. */
    public Map<String, Object> values() { return values; }

    public long seed() { return seed; }

    public Status status() { return status; }

    public void status(Status s) { status = s; }

    /** The epoch the scheduler last allowed the trial to train to. */
    public int target() { return target; }

    public void target(int epochs) { target = epochs; }

    public int epochsDone() { return objectives.length; }

    /** Validation objective after {@code epoch} (1-based), NaN if not measured or not reached. */
    public double objectiveAt(int epoch) {
        return epoch >= 1 && epoch <= objectives.length ? objectives[epoch - 1] : Double.NaN;
    }

    /** Per-epoch objective values, index e - 1 for epoch e (a copy). */
    public double[] objectives() { return objectives.clone(); }

    /** Records epoch {@code epoch}'s value; epochs arrive in order, a repeat replaces the value. */
    public void report(int epoch, double value) {
        if (epoch < 1 || epoch > objectives.length + 1) {
            throw new IllegalArgumentException(id + ": epoch " + epoch + " reported after " + objectives.length);
        }
        if (epoch > objectives.length) objectives = Arrays.copyOf(objectives, epoch);
        objectives[epoch - 1] = value;
    }

    /** Early stopping ran out of patience: the trial trains no more, whatever a scheduler says. */
    public boolean earlyStopped() { return earlyStopped; }

    public void earlyStopped(boolean stopped) { earlyStopped = stopped; }

    /** Whether the trial could train further if granted epochs. */
    public boolean trainable() { return !earlyStopped && !status.isDone() && status != Status.FINISHING; }

    @Override
    public String toString() { return id + " " + status + " " + epochsDone() + "/" + target + " " + values; }
}
