package org.cinelab.search;

import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Every trial of a search so far, in creation order, with the objective that ranks them. What a
 * {@link Sampler} learns from and a {@link Scheduler} decides from.
 */
public final class SearchState {
    private final Objective objective;
    private final EarlyStopping earlyStopping;
    private final Map<String, TrialRecord> byId = new LinkedHashMap<>();
    private final List<TrialRecord> records = new ArrayList<>();

    /** @param earlyStopping null when trials train to their targets */
    public SearchState(Objective objective, EarlyStopping earlyStopping) {
        this.objective = objective;
        this.earlyStopping = earlyStopping;
    }

    public Objective objective() { return objective; }

    public EarlyStopping earlyStopping() { return earlyStopping; }

    public void add(TrialRecord r) {
        if (r.index() != records.size()) {
            throw new IllegalArgumentException("trial " + r.id() + " has index " + r.index() + ", expected " + records.size());
        }
        if (byId.putIfAbsent(r.id(), r) != null) throw new IllegalArgumentException("duplicate trial " + r.id());
        records.add(r);
    }

    /** In creation order. */
    public List<TrialRecord> records() { return Collections.unmodifiableList(records); }

    public TrialRecord get(String id) { return byId.get(id); }

    public int size() { return records.size(); }

    /**
     * What a rung compares a trial by after {@code epochs}: with early stopping its best value up
     * to then (a trial stopped earlier still competes with it), else its value at that epoch.
     */
    public double rungValue(TrialRecord r, int epochs) {
        if (earlyStopping == null) return r.objectiveAt(epochs);
        int best = earlyStopping.bestEpoch(r.objectives(), epochs, objective);
        return best == 0 ? Double.NaN : r.objectiveAt(best);
    }

    /** The epoch whose model stands for the trial: the best one with early stopping, else the last. */
    public int modelEpoch(TrialRecord r) {
        return earlyStopping == null ? r.epochsDone() : earlyStopping.bestEpoch(r.objectives(), r.epochsDone(), objective);
    }

    /** The value a trial is ranked by: at {@link #modelEpoch}, NaN for a failed trial. */
    public double value(TrialRecord r) {
        if (r.status() == TrialRecord.Status.FAILED) return Double.NaN;
        int e = modelEpoch(r);
        return e == 0 ? Double.NaN : r.objectiveAt(e);
    }

    public long count(TrialRecord.Status status) { return records.stream().filter(r -> r.status() == status).count(); }

    /** Epochs trained by all trials so far. */
    public long epochsTrained() { return records.stream().mapToLong(TrialRecord::epochsDone).sum(); }
}
