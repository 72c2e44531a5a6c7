package org.cinelab.search;

import org.cinelab.space.HyperParameter;

import java.util.List;

/**
 * A scheduler as a spec names it ({@code search.scheduler: asha}): its options, its own checks,
 * and the scheduler itself. Registered in {@link SearchRegistry}.
 */
public interface SchedulerFactory {
    String name();

    /** One sentence for help and messages. */
    String description();

    default List<HyperParameter> options() { return List.of(); }

    /** True when the scheduler sizes its brackets itself (Hyperband): {@code search.trials} is then not allowed. */
    default boolean sizesItsOwnTrials() { return false; }

    /**
     * True when it keeps asking for new configurations as results arrive, so a sampler with a
     * fixed set (grid) does not fit it.
     */
    default boolean drawsWithoutEnd() { return false; }

    default List<SearchProblem> check(SearchSettings settings) { return List.of(); }

    /** @param trials configurations to start (the grid's size, or search.trials); ignored when {@link #sizesItsOwnTrials()} */
    Scheduler create(SearchSettings settings, int trials);
}
