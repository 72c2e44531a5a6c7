package org.cinelab.search;

import org.apache.commons.math3.random.SobolSequenceGenerator;
import org.cinelab.space.Domain;
import org.cinelab.space.SearchSpace;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.SortedMap;
import java.util.TreeMap;

/**
 * {@code sampler: sobol}: quasi-random configurations that fill the space more evenly than random
 * draws (Sobol' 1967; Joe and Kuo's direction numbers, from Apache Commons Math). Every parameter is
 * one dimension of the unit cube, in name order; trial {@code index} gets point {@code index} of
 * the sequence, digitally shifted: each dimension's 52 bits are XORed with a random mask seeded by
 * the search seed, which keeps the sequence's equidistribution (every block of 2^m points is still a
 * net) and makes each seed's points different. The shift moves the origin off the cube's corner, so
 * it is kept: skipping it, as unscrambled Sobol samplers do, would break the balance of the first
 * 2^m points (as SciPy's {@code qmc.Sobol} documents). The cube maps to each domain: linearly for {@code uniform}, in log space
 * for {@code loguniform}, and by equal cells (floor) for {@code int} and choices. Conditional
 * parameters take their dimension whether active or not, and are then dropped.
 */
public final class SobolSampler implements Sampler {
    /** Commons Math's direction numbers cover this many dimensions. */
    static final int MAX_DIMENSION = 1000;
    private static final int BITS = 52;
    private static final double SCALE = StrictMath.pow(2, BITS);

    private final SearchSpace space;
    private final List<String> names;
    private final long[] shifts;
    private final SobolSequenceGenerator sequence;

    public SobolSampler(SearchSpace space, long seed) {
        if (space.size() > MAX_DIMENSION) {
            throw new IllegalArgumentException("sampler sobol covers at most " + MAX_DIMENSION + " parameters, got " + space.size());
        }
        this.space = space;
        this.names = new ArrayList<>(space.params().keySet());
        this.shifts = new long[names.size()];
        Random rng = new Random(Seeds.derive(seed, "sobol"));
        for (int i = 0; i < shifts.length; i++) shifts[i] = rng.nextLong() & ((1L << BITS) - 1);
        this.sequence = names.isEmpty() ? null : new SobolSequenceGenerator(names.size());
    }

    /** Point {@code index} of the shifted sequence, in [0, 1)^d, one coordinate per parameter in name order. */
    synchronized double[] point(int index) {
        if (index < 0) throw new IllegalArgumentException("trial number out of range: " + index);
        double[] v = sequence.skipTo(index);
        for (int i = 0; i < v.length; i++) {
            long bits = (long) (v[i] * SCALE);
            v[i] = (bits ^ shifts[i]) / SCALE;
        }
        return v;
    }

    @Override
    public Map<String, Object> suggest(int index, SearchState history) {
        if (names.isEmpty()) return Collections.emptySortedMap();
        double[] u = point(index);
        SortedMap<String, Object> config = new TreeMap<>();
        for (int i = 0; i < names.size(); i++) config.put(names.get(i), map(space.domain(names.get(i)), u[i]));
        return space.activeOnly(config);
    }

    /** The domain's value at {@code u} in [0, 1). */
    static Object map(Domain domain, double u) {
        if (domain instanceof Domain.Uniform d) return Math.min(d.high(), d.low() + u * (d.high() - d.low()));
        if (domain instanceof Domain.LogUniform d) {
            double lo = StrictMath.log(d.low()), hi = StrictMath.log(d.high());
            return Math.min(d.high(), Math.max(d.low(), StrictMath.exp(lo + u * (hi - lo))));
        }
        if (domain instanceof Domain.IntRange d) {
            long n = (d.high() - d.low()) / d.step() + 1;
            long v = d.low() + d.step() * Math.min(n - 1, (long) Math.floor(u * n));
            return v >= Integer.MIN_VALUE && v <= Integer.MAX_VALUE ? (Object) (int) v : (Object) v;
        }
        List<Object> values = ((Domain.Choice) domain).values();
        return values.get((int) Math.min(values.size() - 1, (long) Math.floor(u * values.size())));
    }

    /** {@code sampler: sobol}. */
    static final class Factory implements SamplerFactory {
        public String name() { return "sobol"; }

        public String description() { return "scrambled Sobol quasi-random points: covers the space more evenly than random draws"; }

        @Override
        public List<SearchProblem> check(SearchSpace space, SearchSettings settings) {
            if (space.size() <= MAX_DIMENSION) return List.of();
            return List.of(new SearchProblem("space", "sampler sobol covers at most " + MAX_DIMENSION + " parameters, the space has "
                    + space.size() + "; use sampler random"));
        }

        public Sampler create(SearchSpace space, Map<String, Object> options, long seed, Objective objective) {
            return new SobolSampler(space, seed);
        }
    }
}
