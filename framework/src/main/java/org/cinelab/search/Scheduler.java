package org.cinelab.search;

import java.util.List;

/**
 * Decides how many epochs each trial gets (Ray Tune's TrialScheduler, Optuna's pruner): asked by
 * a free worker what to do next, and after every epoch a trial reports whether it goes on. Which
 * values a new trial gets is a {@link Sampler}'s business.
 *
 * <p>Contract that makes resume exact: every answer is a function of the {@link SearchState}
 * (the trial records) alone, so a search rebuilt from stored records after a crash decides the same.
 */
public interface Scheduler {

    /** The name a spec uses, e.g. {@code hyperband}; also in stop reasons. */
    String name();

    /** What a free worker should do now. */
    Decision next(SearchState state);

    /**
     * After {@code trial} reported its latest epoch: train on until the target the scheduler gave
     * it, then pause there, or stop for good once it reaches {@link #maxEpochs()}.
     */
    default TrialAction onResult(SearchState state, TrialRecord trial) {
        if (trial.epochsDone() < trial.target()) return TrialAction.CONTINUE;
        return trial.target() >= maxEpochs() ? TrialAction.STOP : TrialAction.PAUSE;
    }

    /** Epochs of a fully trained trial. */
    int maxEpochs();

    /** The most trials the search starts (trial ids are numbered up to it). */
    int maxTrials();

    /** The brackets and rungs when they are fixed before the first epoch (for {@code cinelab plan}); empty otherwise. */
    default List<BracketShape> brackets() { return List.of(); }

    /** The epochs the search will train, as exactly as can be known before it runs. */
    Budget budget();

    /**
     * Bounds on the epochs a search trains (without early stopping, which only lowers them), and
     * what only the run itself decides, for {@code cinelab plan}.
     */
    record Budget(long minEpochs, long maxEpochs, String decidedAtRunTime) {
        public boolean exact() { return minEpochs == maxEpochs; }
    }
}
