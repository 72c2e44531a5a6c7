package org.cinelab.space;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.SortedMap;
import java.util.TreeMap;
import java.util.function.BiConsumer;

/**
 * The hyperparameters a search varies, sorted by name: each with its {@link Domain} and, for a
 * conditional one, the {@link Condition} under which it exists ({@code when:} in a spec). A
 * configuration holds exactly the active parameters; an inactive one takes the model's default.
 */
public final class SearchSpace {
    /** {@code momentum: {uniform: [0.5, 0.99], when: {optimizer: sgd}}}: momentum exists only when optimizer is sgd. */
    public record Condition(String parent, List<Object> values) {
        public Condition {
            values = List.copyOf(values);
        }
    }

    /** One searched hyperparameter; {@code when} is null when it is always present. */
    public record Param(String name, Domain domain, Condition when) {}

    private static final SearchSpace EMPTY = new SearchSpace(Map.of());

    private final SortedMap<String, Param> params;

    public SearchSpace(Map<String, Param> params) {
        this.params = Collections.unmodifiableSortedMap(new TreeMap<>(params));
    }

    /** A space without conditions. */
    public static SearchSpace of(Map<String, Domain> domains) {
        TreeMap<String, Param> p = new TreeMap<>();
        domains.forEach((k, d) -> p.put(k, new Param(k, d, null)));
        return new SearchSpace(p);
    }

    public static SearchSpace empty() { return EMPTY; }

    public SortedMap<String, Param> params() { return params; }

    public boolean isEmpty() { return params.isEmpty(); }

    public int size() { return params.size(); }

    public Domain domain(String name) {
        Param p = params.get(name);
        return p == null ? null : p.domain();
    }

    /** Every domain by name, conditions left out. */
    public SortedMap<String, Domain> domains() {
        TreeMap<String, Domain> out = new TreeMap<>();
        params.forEach((k, p) -> out.put(k, p.domain()));
        return Collections.unmodifiableSortedMap(out);
    }

    public void forEach(BiConsumer<String, Domain> action) { params.forEach((k, p) -> action.accept(k, p.domain())); }

    public boolean hasConditions() { return params.values().stream().anyMatch(p -> p.when() != null); }

    /**
     * Whether {@code name} is present in a configuration that assigns {@code config}'s values:
     * its condition's parent is itself active and has one of the condition's values.
     */
    public boolean isActive(String name, Map<String, Object> config) {
        Param p = params.get(name);
        if (p == null) return false;
        if (p.when() == null) return true;
        Object parent = config.get(p.when().parent());
        return parent != null && isActive(p.when().parent(), config) && p.when().values().contains(parent);
    }

    /** {@code config} without the parameters that are inactive in it, sorted by name. */
    public SortedMap<String, Object> activeOnly(Map<String, Object> config) {
        TreeMap<String, Object> out = new TreeMap<>();
        config.forEach((k, v) -> {
            if (isActive(k, config)) out.put(k, v);
        });
        return Collections.unmodifiableSortedMap(out);
    }

    /** Names in an order where every condition's parent comes before the parameters it conditions. */
    public List<String> topologicalOrder() {
        List<String> out = new ArrayList<>();
        for (String name : params.keySet()) visit(name, out, new ArrayList<>());
        return out;
    }

    private void visit(String name, List<String> out, List<String> path) {
        if (out.contains(name) || !params.containsKey(name)) return;
        if (path.contains(name)) throw new IllegalStateException("conditions form a cycle: " + path);
        path.add(name);
        Condition c = params.get(name).when();
        if (c != null) visit(c.parent(), out, path);
        path.remove(path.size() - 1);
        out.add(name);
    }

    @Override
    public boolean equals(Object o) { return o instanceof SearchSpace s && s.params.equals(params); }

    @Override
    public int hashCode() { return params.hashCode(); }

    @Override
    public String toString() { return params.values().toString(); }
}
