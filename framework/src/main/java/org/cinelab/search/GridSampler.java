package org.cinelab.search;

import org.cinelab.space.Domain;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.SortedMap;
import java.util.TreeMap;

/**
 * Enumerates the cartesian product of a search space in row-major order: keys sorted by name,
 * the last key varying fastest. Asked for more configurations than remain, it starts over from
 * the first, which is what Hyperband needs when its brackets are larger than the grid.
 */
public final class GridSampler implements Sampler {

    private final List<String> names = new ArrayList<>();
    private final List<List<Object>> values = new ArrayList<>();
    private final int size;
    private long cursor;

    /** @throws IllegalArgumentException if a domain is continuous or the grid has no point or too many */
    public GridSampler(Map<String, Domain> space) {
        long product = 1;
        for (Map.Entry<String, Domain> e : new TreeMap<>(space).entrySet()) {
            List<Object> grid = e.getValue().gridValues();
            if (grid == null) {
                throw new IllegalArgumentException("search space '" + e.getKey() + "': grid search needs a list of"
                        + " values or an integer range, got " + e.getValue());
            }
            if (grid.isEmpty()) {
                throw new IllegalArgumentException("search space '" + e.getKey() + "': has no values to enumerate");
            }
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

    /** Number of distinct configurations: the product of the value counts (1 for an empty space). */
    public int size() {
        return size;
    }

    @Override
    public List<Map<String, Object>> next(int n) {
        List<Map<String, Object>> out = new ArrayList<>(n);
        for (int k = 0; k < n; k++) {
            out.add(point((int) (cursor++ % size)));
        }
        return out;
    }

    private Map<String, Object> point(int index) {
        SortedMap<String, Object> config = new TreeMap<>();
        int rest = index;
        for (int i = names.size() - 1; i >= 0; i--) {
            List<Object> options = values.get(i);
            config.put(names.get(i), options.get(rest % options.size()));
            rest /= options.size();
        }
        return Collections.unmodifiableSortedMap(config);
    }
}
