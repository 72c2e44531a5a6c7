package org.cinelab.space;

import java.util.List;

/**
 * A setting a model (or dataset) declares: its name, type, default and valid range. The spec
 * validator checks fixed values and search spaces against these before any work starts.
 *
 * @param min     inclusive lower bound for numbers, or null
 * @param max     inclusive upper bound for numbers, or null
 * @param allowed the valid values of a STRING setting, or empty for any string
 * @param rule    a further check of a STRING setting's text (a path, a run id, a list of names), or null
 */
public record HyperParameter(String name, Type type, Object defaultValue, Double min, Double max,
                             List<String> allowed, String help, TextRule rule) {

    public enum Type { INT, DOUBLE, STRING, BOOLEAN }

    /**
     * What a free-text setting must look like, checked when a spec is loaded so that a value no trial
     * could use is an error at its line instead of a failure of every trial.
     */
    @FunctionalInterface
    public interface TextRule {
        /** Null when {@code value} is valid, otherwise what would be, e.g. "a run id (32 hex digits) or latest:EXPERIMENT". */
        String check(String value);
    }

    /** A setting without a text rule (every declaration before rules existed). */
    public HyperParameter(String name, Type type, Object defaultValue, Double min, Double max, List<String> allowed, String help) {
        this(name, type, defaultValue, min, max, allowed, help, null);
    }

    /** A free-text STRING setting whose values {@code rule} checks. */
    public static HyperParameter text(String name, String def, TextRule rule, String help) {
        return new HyperParameter(name, Type.STRING, def, null, null, List.of(), help, rule);
    }

    public static HyperParameter integer(String name, int def, int min, int max, String help) {
        return new HyperParameter(name, Type.INT, def, (double) min, (double) max, List.of(), help);
    }

    public static HyperParameter real(String name, double def, double min, double max, String help) {
        return new HyperParameter(name, Type.DOUBLE, def, min, max, List.of(), help);
    }

    public static HyperParameter choice(String name, String def, List<String> allowed, String help) {
        return new HyperParameter(name, Type.STRING, def, null, null, List.copyOf(allowed), help);
    }

    public static HyperParameter flag(String name, boolean def, String help) {
        return new HyperParameter(name, Type.BOOLEAN, def, null, null, List.of(), help);
    }

    /** Null when {@code value} fits this setting, otherwise what would be valid. */
    public String check(Object value) {
        switch (type) {
            case INT -> {
                if (!(value instanceof Integer || value instanceof Long)) return "an integer" + range();
                long v = ((Number) value).longValue();
                if ((min != null && v < min) || (max != null && v > max)) return "an integer" + range();
            }
            case DOUBLE -> {
                if (!(value instanceof Number)) return "a number" + range();
                double v = ((Number) value).doubleValue();
                if (Double.isNaN(v) || (min != null && v < min) || (max != null && v > max)) return "a number" + range();
            }
            case STRING -> {
                if (!(value instanceof String s)) return allowed.isEmpty() ? "a string" : "one of " + allowed;
                if (!allowed.isEmpty() && !allowed.contains(s)) return "one of " + allowed;
                if (rule != null) return rule.check(s);
            }
            case BOOLEAN -> {
                if (!(value instanceof Boolean)) return "true or false";
            }
        }
        return null;
    }

    private String range() {
        if (min == null && max == null) return "";
        String lo = min == null ? "-inf" : fmt(min);
        String hi = max == null ? "inf" : fmt(max);
        return " in [" + lo + ", " + hi + "]";
    }

    private String fmt(double d) {
        return type == Type.INT || d == Math.rint(d) && Math.abs(d) < 1e15 ? Long.toString((long) d) : Double.toString(d);
    }
}
