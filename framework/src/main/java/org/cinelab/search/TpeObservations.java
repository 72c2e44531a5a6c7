package org.cinelab.search;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.TreeSet;

/**
 * What {@link TpeSampler} fits on: the trials' objective values at one epoch budget, split into the
 * best {@code gamma} ("below", l(x)) and the rest ("above", g(x)), each in trial order.
 *
 * <p>With a multi-fidelity scheduler, trials report different epochs; as BOHB (Falkner et al.
 * 2018) the model is fitted at the largest budget (an epoch count some trial was granted) at which
 * at least {@code minObservations} trials have a value, falling back to smaller ones; with
 * scheduler {@code none} every trial is granted {@code max_epochs}, the only budget. A trial has a
 * value at a budget once it reached it (or stopped early on the way: then its best value); a failed
 * trial, or one whose value is not a number, counts as the worst value. With the constant liar,
 * trials still on their way to the budget (running or paused short of it) join "above" as the worst
 * value too, so that parallel workers do not all sample where the pending trials already are
 * (Optuna's {@code constant_liar}); they are not counted as observations.
 *
 * @param budget the epoch budget the values are taken at
 * @param below  the best observations, in trial order
 * @param above  the other observations and the pending trials, in trial order
 */
record TpeObservations(int budget, List<TrialRecord> below, List<TrialRecord> above) {

    /** One trial's loss at the budget: lower is better, +infinity for failed, NaN-valued and pending trials. */
    private record Scored(TrialRecord trial, double loss, boolean pending) {}

    /**
     * The observations at the largest qualifying budget, or null when no budget has
     * {@code minObservations} values yet (the sampler then draws at random).
     */
    static TpeObservations select(SearchState history, int minObservations, double gamma, int gammaMax, boolean constantLiar) {
        TreeSet<Integer> budgets = new TreeSet<>(Comparator.reverseOrder());
        for (TrialRecord r : history.records()) if (r.target() >= 1) budgets.add(r.target());
        for (int budget : budgets) {
            List<Scored> scored = score(history, budget, constantLiar);
            long observed = scored.stream().filter(s -> !s.pending()).count();
            if (observed >= Math.max(1, minObservations)) return split(budget, scored, gamma, gammaMax);
        }
        return null;
    }

    private static List<Scored> score(SearchState history, int budget, boolean constantLiar) {
        Objective objective = history.objective();
        List<Scored> out = new ArrayList<>();
        for (TrialRecord r : history.records()) {
            if (r.status() == TrialRecord.Status.FAILED) {
                if (r.target() >= budget) out.add(new Scored(r, Double.POSITIVE_INFINITY, false));
            } else if (hasValue(history, r, budget)) {
                double v = history.rungValue(r, budget);
                out.add(new Scored(r, Double.isNaN(v) ? Double.POSITIVE_INFINITY : objective.asLoss(v), false));
            } else if (constantLiar && r.target() >= budget
                    && (r.status() == TrialRecord.Status.RUNNING || r.status() == TrialRecord.Status.PAUSED)) {
                out.add(new Scored(r, Double.POSITIVE_INFINITY, true));
            }
        }
        return out;
    }

    /** Whether the trial's objective at {@code budget} is known: it trained that far, or early stopping ended it before. */
    private static boolean hasValue(SearchState history, TrialRecord r, int budget) {
        if (r.epochsDone() >= budget) return true;
        return r.earlyStopped() && !Double.isNaN(history.rungValue(r, budget));
    }

    /** Optuna's split: the best min(ceil(gamma n), gammaMax) of the n observations below, ties to the earlier trial. */
    private static TpeObservations split(int budget, List<Scored> scored, double gamma, int gammaMax) {
        List<Scored> observed = new ArrayList<>(scored.stream().filter(s -> !s.pending()).toList());
        observed.sort(Comparator.comparingDouble(Scored::loss).thenComparingInt(s -> s.trial().index()));
        int nBelow = Math.min(observed.size(), Math.min(gammaMax, (int) Math.ceil(gamma * observed.size())));
        List<TrialRecord> below = new ArrayList<>();
        List<TrialRecord> above = new ArrayList<>();
        for (int i = 0; i < observed.size(); i++) (i < nBelow ? below : above).add(observed.get(i).trial());
        scored.stream().filter(Scored::pending).forEach(s -> above.add(s.trial()));
        below.sort(Comparator.comparingInt(TrialRecord::index));
        above.sort(Comparator.comparingInt(TrialRecord::index));
        return new TpeObservations(budget, List.copyOf(below), List.copyOf(above));
    }
}
