package org.cinelab.search;

/**
 * {@code search.early_stopping}: Keras' EarlyStopping with {@code restore_best_weights}. An epoch
 * improves when its validation objective beats the best so far by more than {@code minDelta};
 * after {@code patience} epochs without one the trial stops, and its best epoch stands for it.
 * Every answer is a function of the trial's per-epoch values alone, so a resumed run finds the
 * same best epoch and stops at the same one.
 */
public record EarlyStopping(int patience, double minDelta) implements java.io.Serializable {

    public EarlyStopping {
        if (patience < 1) throw new IllegalArgumentException("patience must be >= 1, got " + patience);
        if (!(minDelta >= 0)) throw new IllegalArgumentException("min_delta must be >= 0, got " + minDelta);
    }

    /**
     * The best epoch among 1..{@code lastEpoch} of {@code values} (values[e - 1] is epoch e), or 0
     * when none has a finite value.
     */
    public int bestEpoch(double[] values, int lastEpoch, Objective objective) {
        int best = 0;
        double bestValue = Double.NaN;
        for (int e = 1; e <= Math.min(lastEpoch, values.length); e++) {
            double v = values[e - 1];
            if (Double.isFinite(v) && (best == 0 || objective.improves(v, bestValue, minDelta))) {
                best = e;
                bestValue = v;
            }
        }
        return best;
    }

    /** True once {@code patience} epochs have passed since the best one. */
    public boolean shouldStop(double[] values, int epochsDone, Objective objective) {
        return epochsDone - bestEpoch(values, epochsDone, objective) >= patience;
    }
}
