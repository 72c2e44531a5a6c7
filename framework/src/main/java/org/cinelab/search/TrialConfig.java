package org.cinelab.search;

import java.util.Map;

/**
 * One configuration to train: its id ({@code t001}), the Hyperband bracket it belongs to (0 when
 * there is one), the sampled hyperparameter values (sorted by name) and its own seed, derived
 * from the experiment seed and the id so that it does not depend on execution order.
 */
public record TrialConfig(String id, int bracket, Map<String, Object> values, long seed) {
}
