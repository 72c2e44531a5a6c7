package org.cinelab.search;

import org.cinelab.space.Domain;
import org.cinelab.space.SearchSpace;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.OptionalLong;
import java.util.SortedMap;
import java.util.TreeMap;

/**
 * Enumerates the cartesian product of a search space in row-major order: keys sorted by name,
 * the last key varying fastest. Trial {@code index} gets point {@code index mod size}, so
 * Hyperband's brackets, larger than the grid, repeat it. With conditions, a point's inactive
 * parameters are dropped, so the same configuration can appear twice.
 */
public final class GridSampler implements Sampler {

    private final SearchSpace space;
    private final List<String> names = new ArrayList<>();
    private final List<List<Object>> values = new ArrayList<>();
    private final int size;

    /** @throws IllegalArgumentException if a domain is continuous or the grid has no point or too many */
    public GridSampler(SearchSpace space) {
        this.space = space;
        long product = 1;
        for (Map.Entry<String, Domain> e : space.domains().entrySet()) {
            List<Object> grid = e.getValue().gridValues();
            if (grid == null) {
                throw new IllegalArgumentException("search space '" + e.getKey() + "': grid search needs a list of"
                        + " values or an integer range, got " + e.getValue().specText());
            }
            if (grid.isEmpty()) throw new IllegalArgumentException("search space '" + e.getKey() + "': has no values to enumerate");
            names.add(e.getKey());
            values.add(List.copyOf(grid));
            product *= grid.size();
            if (product > Integer.MAX_VALUE) {
                throw new IllegalArgumentException("search space: the grid has more than " + Integer.MAX_VALUE
                        + " points; use the random sampler");
            }
        }
        this.size = (int) product;
    }

    /** Number of points: the product of the value counts (1 for an empty space). */
    public int size() { return size; }

    @Override
    public Map<String, Object> suggest(int index, SearchState history) { return point(index % size); }

    private Map<String, Object> point(int index) {
        SortedMap<String, Object> config = new TreeMap<>();
        int rest = index;
        for (int i = names.size() - 1; i >= 0; i--) {
            List<Object> options = values.get(i);
            config.put(names.get(i), options.get(rest % options.size()));
            rest /= options.size();
        }
        return space.hasConditions() ? space.activeOnly(config) : Collections.unmodifiableSortedMap(config);
    }

    /** {@code sampler: grid}. */
    static final class Factory implements SamplerFactory {
        public String name() { return "grid"; }

        public String description() { return "every combination of the space's values, in order (discrete domains only)"; }

        @Override
        public boolean enumerates() { return true; }

        @Override
        public OptionalLong size(SearchSpace space) {
            long n = 1;
            for (Domain d : space.domains().values()) {
                List<Object> v = d.gridValues();
                if (v == null) return OptionalLong.empty();
                n = n > Long.MAX_VALUE / Math.max(1, v.size()) ? Long.MAX_VALUE : n * v.size();
            }
            return OptionalLong.of(n);
        }

        @Override
        public List<SearchProblem> check(SearchSpace space, SearchSettings settings) {
            List<SearchProblem> out = new ArrayList<>();
            space.forEach((name, domain) -> {
                if (domain.gridValues() == null) {
                    out.add(new SearchProblem("space." + name, "sampler grid needs discrete domains (a list, choice or int), but "
                            + name + " is " + domain.kind() + "; set search.sampler: random (or tpe, sobol)"));
                }
            });
            OptionalLong n = size(space);
            if (out.isEmpty() && n.isPresent() && n.getAsLong() > Integer.MAX_VALUE) {
                out.add(new SearchProblem("space", "the grid has " + n.getAsLong() + " points, more than "
                        + Integer.MAX_VALUE + "; use search.sampler: random"));
            }
            return out;
        }

        public Sampler create(SearchSpace space, Map<String, Object> options, long seed, Objective objective) {
            return new GridSampler(space);
        }
    }
}
