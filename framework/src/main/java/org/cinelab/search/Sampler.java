package org.cinelab.search;

import java.util.Map;

/**
 * Decides which configurations are tried (Optuna's sampler): asked for trial number
 * {@code index}'s values with the whole history in view, and told every result. How many epochs a
 * trial gets is a {@link Scheduler}'s business.
 *
 * <p>Contract that makes resume exact: a suggestion is a function of the sampler's seed, the
 * index and the history it is given, so asking again after a crash gives the same values.
 * Indices are asked in increasing order, each once (a resumed search skips stored ones).
 */
public interface Sampler {

    /**
     * Values for trial {@code index}, sorted by name, active parameters only; empty for an empty
     * space (a model with fixed parameters only).
     */
    Map<String, Object> suggest(int index, SearchState history);

    /** Told after every reported epoch and every finished trial (Optuna's after_trial); most samplers read the history instead. */
    default void tell(TrialRecord trial) {}

    /**
     * Whether trial {@code index}'s values do not depend on any result, so {@code cinelab plan}
     * can print them before the search runs (true for grid, random and quasi-random samplers;
     * for TPE only its random start-up trials).
     */
    default boolean knownInAdvance(int index) { return true; }
}
