package org.cinelab.search;

import java.util.List;
import java.util.Map;

/**
 * Decides which configurations are tried: each call hands out the next configurations of a
 * search space. How many epochs each one gets is a {@link Scheduler}'s business, not the sampler's.
 */
public interface Sampler {

    /**
     * The next {@code n} configurations, each a map from hyperparameter name to value sorted by
     * name. An empty search space yields empty maps (a model with fixed parameters only).
     */
    List<Map<String, Object>> next(int n);
}
