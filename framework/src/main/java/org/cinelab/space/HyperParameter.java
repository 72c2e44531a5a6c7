package org.cinelab.space;

import java.util.List;

/**
 * A setting a model (or dataset) declares: its name, type, default and valid range. The spec
 * validator checks fixed values and search spaces against these before any work starts.
 *
 * @param min     inclusive lower bound for numbers, or null
 * @param max     inclusive upper bound for numbers, or null
 * @param allowed the valid values of a STRING setting, or empty for any string; for INT_LIST,
 *                {@code ["allow-empty"]} when the empty list is valid
 * @param rule    a further check of a STRING setting's text (a path, a run id, a list of names), or null
 */
public record HyperParameter(String name, Type type, Object defaultValue, Double min, Double max,
                             List<String> allowed, String help, TextRule rule) {

    /** INT_LIST: a list of integers, each within [min, max] (layer widths such as {@code [256, 128]}). */
    public enum Type { INT, DOUBLE, STRING, BOOLEAN, INT_LIST }

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

    /**
     * A list of integers in [min, max], e.g. layer widths; {@code allowEmpty} says whether {@code []}
     * (no layer) is valid. A spec writes {@code [256, 128]}; the older comma-separated string
     * {@code "256,128"} is read as the same list.
     */
    public static HyperParameter intList(String name, List<Integer> def, int min, int max, boolean allowEmpty, String help) {
        return new HyperParameter(name, Type.INT_LIST, List.copyOf(def), (double) min, (double) max,
                allowEmpty ? List.of("allow-empty") : List.of(), help);
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
            case INT_LIST -> {
                String expected = "a list of integers" + range() + (allowed.isEmpty() ? ", at least one" : "")
                        + ", e.g. [" + fmt(max == null ? 64 : Math.min(max, 64)) + "]";
                if (!(value instanceof List<?> list)) return expected;
                if (list.isEmpty() && allowed.isEmpty()) return expected;
                for (Object o : list) {
                    if (!(o instanceof Integer || o instanceof Long)) return expected;
                    long v = ((Number) o).longValue();
                    if ((min != null && v < min) || (max != null && v > max)) return expected;
                }
            }
        }
        return null;
    }

    /**
     * {@code value} as this setting's Java type where a spec may write it another way: for INT_LIST,
     * a comma-separated string ({@code "256,128"}, {@code ""} for none) becomes a list of Integers;
     * anything unparseable is returned as is for {@link #check} to reject.
     */
    public Object normalise(Object value) {
        if (type == Type.INT_LIST && value instanceof String s) {
            if (s.isBlank()) return List.of();
            List<Integer> out = new java.util.ArrayList<>();
            for (String part : s.split(",")) {
                try {
                    out.add(Integer.parseInt(part.trim()));
                } catch (NumberFormatException e) {
                    return value;
                }
            }
            return List.copyOf(out);
        }
        if (type == Type.INT_LIST && value instanceof List<?> list) {
            List<Object> out = new java.util.ArrayList<>();
            for (Object o : list) out.add(o instanceof Long l && l >= Integer.MIN_VALUE && l <= Integer.MAX_VALUE ? (Object) l.intValue() : o);
            return java.util.Collections.unmodifiableList(out);
        }
        return value;
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
