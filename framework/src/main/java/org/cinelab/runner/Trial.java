package org.cinelab.runner;

import org.cinelab.search.TrialRecord;

import java.util.Map;

/**
 * What training needs to know of a trial: its id, bracket, sampled values (active parameters
 * only) and seed. Serializable data, so a trial can be trained anywhere the spec and data are.
 */
public record Trial(String id, int bracket, Map<String, Object> values, long seed) implements java.io.Serializable {
    public Trial {
        values = java.util.Collections.unmodifiableSortedMap(new java.util.TreeMap<>(values));
    }

    static Trial of(TrialRecord r) { return new Trial(r.id(), r.bracket(), r.values(), r.seed()); }

    static Trial of(TrialState s) { return new Trial(s.trialId, s.bracket, s.values, s.seed); }
}
