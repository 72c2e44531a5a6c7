package org.cinelab.search;

import org.cinelab.space.Domain;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.SortedMap;
import java.util.TreeMap;

/**
 * Draws every hyperparameter independently from its {@link Domain}, in key order, from one
 * seeded {@link Random}. {@code java.util.Random} is used because the Java specification fixes
 * its algorithm, so the same seed gives the same configurations on every JDK.
 */
public final class RandomSampler implements Sampler {

    private final SortedMap<String, Domain> space;
    private final Random rng;

    public RandomSampler(Map<String, Domain> space, long seed) {
        this.space = new TreeMap<>(space);
        this.rng = new Random(seed);
    }

    @Override
    public List<Map<String, Object>> next(int n) {
        List<Map<String, Object>> out = new ArrayList<>(n);
        for (int k = 0; k < n; k++) {
            SortedMap<String, Object> config = new TreeMap<>();
            space.forEach((name, domain) -> config.put(name, domain.sample(rng)));
            out.add(Collections.unmodifiableSortedMap(config));
        }
        return out;
    }
}
