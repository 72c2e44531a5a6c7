package org.cinelab.search;

/**
 * A sampler's or scheduler's objection to a spec, found by its own validation: {@code field} is
 * the spec path it concerns ({@code search.trials}, {@code space.lr}, {@code search.sampler.gamma}),
 * where the spec loader locates it.
 */
public record SearchProblem(String field, String message) {}
