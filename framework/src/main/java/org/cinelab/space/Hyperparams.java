package org.cinelab.space;

import java.util.Collections;
import java.util.Map;
import java.util.TreeMap;

/**
 * A trial's resolved settings: the model's declared defaults, overridden by the spec's fixed
 * {@code model.params}, overridden by the values the sampler chose. Keys are sorted so that
 * printing, hashing and logging are stable.
 */
public final class Hyperparams {
    private final Map<String, Object> values;

    public Hyperparams(Map<String, Object> values) {
        this.values = Collections.unmodifiableMap(new TreeMap<>(values));
    }

    public static Hyperparams resolve(java.util.List<HyperParameter> declared, Map<String, Object> fixed, Map<String, Object> sampled) {
        Map<String, Object> all = new TreeMap<>();
        for (HyperParameter hp : declared) all.put(hp.name(), hp.defaultValue());
        all.putAll(fixed);
        all.putAll(sampled);
        return new Hyperparams(all);
    }

    public Map<String, Object> asMap() { return values; }

    public int getInt(String name) { return ((Number) require(name)).intValue(); }

    public double getDouble(String name) { return ((Number) require(name)).doubleValue(); }

    public String getString(String name) { return String.valueOf(require(name)); }

    public boolean getBoolean(String name) { return (Boolean) require(name); }

    /** An INT_LIST setting; a legacy comma-separated string is accepted as the same list. */
    public int[] getIntList(String name) {
        Object v = require(name);
        if (v instanceof String s) {
            return s.isBlank() ? new int[0] : java.util.Arrays.stream(s.split(",")).mapToInt(x -> Integer.parseInt(x.trim())).toArray();
        }
        return ((java.util.List<?>) v).stream().mapToInt(x -> ((Number) x).intValue()).toArray();
    }

    private Object require(String name) {
        Object v = values.get(name);
        if (v == null) throw new IllegalArgumentException("no hyperparameter '" + name + "' in " + values.keySet());
        return v;
    }

    @Override
    public String toString() { return values.toString(); }
}
