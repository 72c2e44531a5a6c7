package org.cinelab.data.split;

import org.cinelab.data.RatingTable;

import java.util.Map;
import java.util.TreeMap;

/**
 * A split as row indices into one rating table: train, validation (possibly empty) and test, each
 * in ascending row order, plus the parameters that describe how it was made (logged as run params).
 */
public record IndexSplit(int[] train, int[] validation, int[] test, Map<String, String> params) {
    public IndexSplit {
        params = java.util.Collections.unmodifiableMap(new TreeMap<>(params));
    }

    public RatingTable train(RatingTable all) { return all.select(train); }
    public RatingTable validation(RatingTable all) { return all.select(validation); }
    public RatingTable test(RatingTable all) { return all.select(test); }

    /** The same split with more parameters recorded. */
    public IndexSplit withParams(Map<String, String> more) {
        TreeMap<String, String> p = new TreeMap<>(params);
        p.putAll(more);
        return new IndexSplit(train, validation, test, p);
    }
}
