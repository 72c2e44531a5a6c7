package org.cinelab.search;

import java.util.ArrayList;
import java.util.List;

/**
 * {@code scheduler: asha}: asynchronous successive halving, Algorithm 2 of Li et al., "A System
 * for Massively Parallel Hyperparameter Tuning", MLSys 2020. Rungs train to min_epochs * eta^k
 * epochs (the last to max_epochs). A free worker promotes the best not-yet-promoted trial among
 * the top 1/eta of the highest rung that has one, else starts a new trial, until
 * {@code search.trials} have started; no rung waits for its slowest trial, so no worker idles
 * while any trial can run. Trials never promoted finish when nothing else is left.
 *
 * <p>Unlike the paper, which runs until a time budget, the search ends after {@code trials}
 * configurations, so it is reproducible and resumable.
 */
public final class AshaScheduler implements Scheduler {
    private final List<Integer> rungs;
    private final int eta;
    private final int trials;

    AshaScheduler(int trials, int maxEpochs, int eta, int minEpochs) {
        BudgetChecks.etaAndMinEpochs(maxEpochs, eta, minEpochs);
        BudgetChecks.trials(trials);
        this.rungs = BracketShapes.rungEpochs(maxEpochs, eta, minEpochs);
        this.eta = eta;
        this.trials = trials;
    }

    @Override
    public String name() { return "asha"; }

    @Override
    public int maxEpochs() { return rungs.get(rungs.size() - 1); }

    @Override
    public int maxTrials() { return trials; }

    /** The epochs of every rung, lowest first. */
    public List<Integer> rungEpochs() { return rungs; }

    @Override
    public Decision next(SearchState state) {
        for (int k = rungs.size() - 2; k >= 0; k--) {
            int epochs = rungs.get(k);
            List<TrialRecord> reached = rung(state, epochs);
            int top = reached.size() / eta;
            for (TrialRecord r : Promotion.survivors(reached, top, x -> state.rungValue(x, epochs), state.objective())) {
                if (r.status() == TrialRecord.Status.PAUSED && r.target() == epochs && r.trainable()) {
                    return new Decision.Resume(r.id(), rungs.get(k + 1));
                }
            }
        }
        if (state.size() < trials) return new Decision.Start(0, rungs.get(0));
        boolean busy = state.records().stream().anyMatch(r -> r.status() == TrialRecord.Status.RUNNING
                || r.status() == TrialRecord.Status.FINISHING);
        if (busy) return Decision.WAIT;
        for (TrialRecord r : state.records()) {
            if (r.status() == TrialRecord.Status.PAUSED) {
                int k = rungs.indexOf(r.target());
                return new Decision.Finish(r.id(), "stopped by asha at rung " + k + " (" + r.target() + " epochs)");
            }
        }
        return Decision.DONE;
    }

    /**
     * Trials with a result in the rung at {@code epochs}: those that reached it, and those that
     * stopped early on the way (they compete with their best value), failed ones excluded.
     */
    private static List<TrialRecord> rung(SearchState state, int epochs) {
        List<TrialRecord> out = new ArrayList<>();
        for (TrialRecord r : state.records()) {
            if (r.status() == TrialRecord.Status.FAILED || r.target() < epochs) continue;
            if (r.epochsDone() >= epochs || (r.earlyStopped() && !Double.isNaN(state.rungValue(r, epochs)))) out.add(r);
        }
        return out;
    }

    /**
     * Without early stopping: at least what synchronous successive halving without its
     * keep-at-least-one rule trains (every rung ends with its top 1/eta promoted), at most what
     * results arriving from worst to best would promote (every result from the eta-th on).
     */
    @Override
    public Budget budget() {
        long min = 0, max = 0;
        long nMin = trials, nMax = trials;
        int previous = 0;
        for (int k = 0; k < rungs.size(); k++) {
            int e = rungs.get(k);
            min += nMin * (e - previous);
            max += nMax * (e - previous);
            previous = e;
            nMin = nMin / eta;
            nMax = Math.max(0, nMax - eta + 1);
        }
        return new Budget(min, max, "which trials are promoted, and when: the order results arrive in");
    }

    /** {@code scheduler: asha}. */
    static final class Factory implements SchedulerFactory {
        public String name() { return "asha"; }

        public String description() {
            return "asynchronous successive halving: promotes as soon as a rung has enough results (Li et al. 2020)";
        }

        @Override
        public boolean drawsWithoutEnd() { return true; }

        public Scheduler create(SearchSettings s, int trials) {
            return new AshaScheduler(trials, s.maxEpochs(), s.eta(), s.minEpochs());
        }
    }
}
