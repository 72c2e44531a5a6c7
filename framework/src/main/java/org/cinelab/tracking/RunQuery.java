package org.cinelab.tracking;

import java.util.List;

/** A run search: in these experiments, the runs matching {@code filter}, in {@code orderBy} order, at most {@code maxResults}. */
public record RunQuery(List<String> experimentIds, RunFilter filter, List<RunOrder> orderBy, int maxResults) {
    public static final int DEFAULT_MAX_RESULTS = 1000;

    public RunQuery {
        experimentIds = List.copyOf(experimentIds);
        orderBy = List.copyOf(orderBy);
        if (maxResults < 1) throw new IllegalArgumentException("maxResults must be at least 1, got " + maxResults);
    }

    public static RunQuery of(List<String> experimentIds, RunFilter filter) {
        return new RunQuery(experimentIds, filter, List.of(), Integer.MAX_VALUE);
    }
}
