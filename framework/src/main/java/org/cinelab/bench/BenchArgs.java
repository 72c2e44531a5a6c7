package org.cinelab.bench;

import java.util.LinkedHashMap;
import java.util.Map;

/** The {@code --set model.key=value} option the model benchmarks share. */
final class BenchArgs {
    private BenchArgs() {}

    /** Adds {@code model.key=value} to {@code overrides} (per model), the value typed as a spec would type it. */
    static void set(Map<String, Map<String, Object>> overrides, String arg) {
        String[] kv = arg.split("=", 2);
        int dot = kv[0].indexOf('.');
        if (kv.length != 2 || dot < 0) throw new IllegalArgumentException("--set " + arg + ": expected model.key=value");
        overrides.computeIfAbsent(kv[0].substring(0, dot), k -> new LinkedHashMap<>()).put(kv[0].substring(dot + 1), value(kv[1]));
    }

    static Object value(String v) {
        if (v.equals("true") || v.equals("false")) return Boolean.parseBoolean(v);
        try {
            return Integer.parseInt(v);
        } catch (NumberFormatException e) {
            try {
                return Double.parseDouble(v);
            } catch (NumberFormatException e2) {
                return v;
            }
        }
    }
}
