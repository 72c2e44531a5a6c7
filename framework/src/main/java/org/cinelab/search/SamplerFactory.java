package org.cinelab.search;

import org.cinelab.space.HyperParameter;
import org.cinelab.space.SearchSpace;

import java.util.List;
import java.util.Map;
import java.util.OptionalLong;

/**
 * A sampler as a spec names it ({@code search.sampler: tpe}, or {@code {type: tpe, ...options}}):
 * its options, checked by {@code cinelab validate} like a model's hyperparameters, its own checks
 * of the space and settings, and the sampler itself. Registered in {@link SearchRegistry}.
 */
public interface SamplerFactory {
    String name();

    /** One sentence for help and messages. */
    String description();

    /** The options a spec may set under {@code search.sampler}; any other is rejected. */
    default List<HyperParameter> options() { return List.of(); }

    /** True for a sampler that enumerates a fixed set (a grid): its size, not {@code search.trials}, sets the trial count. */
    default boolean enumerates() { return false; }

    /** How many distinct configurations it enumerates (a grid), or empty when it draws without end or cannot tell. */
    default OptionalLong size(SearchSpace space) { return OptionalLong.empty(); }

    /** Problems with this space or these settings; empty when the sampler accepts them. */
    default List<SearchProblem> check(SearchSpace space, SearchSettings settings) { return List.of(); }

    /**
     * @param options every option of {@link #options()}, defaults filled in
     * @param seed    the search's sampler seed
     */
    Sampler create(SearchSpace space, Map<String, Object> options, long seed, Objective objective);
}
