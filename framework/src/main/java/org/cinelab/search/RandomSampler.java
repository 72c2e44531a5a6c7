package org.cinelab.search;

import org.cinelab.space.Domain;
import org.cinelab.space.SearchSpace;

import java.util.Collections;
import java.util.Map;
import java.util.Random;
import java.util.SortedMap;
import java.util.TreeMap;

/**
 * Draws every hyperparameter independently from its {@link Domain}, in key order, from one
 * seeded {@link Random}: trial {@code index} gets the index-th draw of that stream, so the values
 * do not depend on when a trial is asked for. {@code java.util.Random} is used because the Java
 * specification fixes its algorithm, so the same seed gives the same configurations on every JDK.
 * Conditional parameters are drawn whether active or not (then dropped), which keeps every
 * trial's draws at the same place in the stream.
 */
public final class RandomSampler implements Sampler {

    private final SearchSpace space;
    private final long seed;
    private Random rng;
    private int drawn;

    public RandomSampler(SearchSpace space, long seed) {
        this.space = space;
        this.seed = seed;
        this.rng = new Random(seed);
    }

    @Override
    public Map<String, Object> suggest(int index, SearchState history) {
        if (index < drawn) {
            rng = new Random(seed);
            drawn = 0;
        }
        while (drawn < index) draw();
        return draw();
    }

    private Map<String, Object> draw() {
        drawn++;
        SortedMap<String, Object> config = new TreeMap<>();
        space.forEach((name, domain) -> config.put(name, domain.sample(rng)));
        return space.hasConditions() ? space.activeOnly(config) : Collections.unmodifiableSortedMap(config);
    }

    /** {@code sampler: random}. */
    static final class Factory implements SamplerFactory {
        public String name() { return "random"; }

        public String description() { return "independent draws from every domain (Bergstra and Bengio 2012)"; }

        public Sampler create(SearchSpace space, Map<String, Object> options, long seed, Objective objective) {
            return new RandomSampler(space, seed);
        }
    }
}
