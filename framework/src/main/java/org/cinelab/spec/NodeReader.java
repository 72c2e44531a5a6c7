package org.cinelab.spec;

import org.cinelab.spec.YamlNode.Entry;
import org.cinelab.spec.YamlNode.ListNode;
import org.cinelab.spec.YamlNode.MapNode;
import org.cinelab.spec.YamlNode.ScalarNode;
import org.cinelab.spec.YamlNode.ScalarNode.Kind;

import java.util.List;

/**
 * Reads typed values out of {@link YamlNode}s. Each method returns null when the value is
 * missing or wrong, after recording a problem that says what was expected and what was found.
 */
final class NodeReader {
    private final Problems problems;

    NodeReader(Problems problems) { this.problems = problems; }

    /** How a value reads in a message: {@code 'abc'}, {@code 42}, {@code a list}, {@code nothing}. */
    static String describe(YamlNode node) {
        if (node == null) return "nothing";
        if (node instanceof MapNode) return "a map";
        if (node instanceof ListNode) return "a list";
        ScalarNode s = (ScalarNode) node;
        return switch (s.kind()) {
            case NULL -> "nothing";
            case STRING -> looksTyped(s.text()) ? "the quoted string '" + s.text() + "'" : "'" + s.text() + "'";
            default -> s.text();
        };
    }

    private static boolean looksTyped(String text) {
        return text.matches("[-+]?(\\d[\\d_]*(\\.\\d*)?|\\.\\d+)([eE][-+]?\\d+)?") || text.equals("true") || text.equals("false");
    }

    static boolean isAbsent(YamlNode node) {
        return node == null || node instanceof ScalarNode s && s.isNull();
    }

    void missing(int line, int column, String field) { problems.at(line, column, field, "required key missing"); }

    /** An optional section: null when absent or null; a problem when it is not a map. */
    MapNode optionalMap(YamlNode node, String field, String expectation) {
        if (isAbsent(node)) return null;
        if (node instanceof MapNode m) return m;
        problems.at(node, field, "expected " + expectation + ", got " + describe(node));
        return null;
    }

    /** Reports every key not in {@code valid} (with a did-you-mean when one is close). */
    void rejectUnknownKeys(MapNode map, String path, List<String> valid) {
        for (Entry e : map.entries().values()) {
            if (!valid.contains(e.key())) {
                problems.at(e, path.isEmpty() ? e.key() : path + "." + e.key(),
                        "unknown key" + DidYouMean.hint(e.key(), valid, "valid keys are"));
            }
        }
    }

    String string(YamlNode node, String field, String expectation) {
        if (node instanceof ScalarNode s && s.kind() == Kind.STRING) return (String) s.value();
        String hint = node instanceof ScalarNode s && !s.isNull() ? "; quote it ('" + s.text() + "') to use it as text" : "";
        problems.at(node, field, "expected " + expectation + ", got " + describe(node) + hint);
        return null;
    }

    /** An integer in [min, max]; {@code expectation} phrases the valid range, e.g. "an integer >= 1". */
    Integer integer(YamlNode node, String field, long min, long max, String expectation) {
        if (node instanceof ScalarNode s && s.value() instanceof Long v && v >= min && v <= max) {
            if (v >= Integer.MIN_VALUE && v <= Integer.MAX_VALUE) return v.intValue();
        }
        problems.at(node, field, "expected " + expectation + ", got " + describe(node));
        return null;
    }

    /** A finite number (integer or real) {@code >= min}, as a double. */
    Double number(YamlNode node, String field, double min, String expectation) {
        if (node instanceof ScalarNode s && (s.value() instanceof Long || s.value() instanceof Double)) {
            double v = ((Number) s.value()).doubleValue();
            if (Double.isFinite(v) && v >= min) return v;
        }
        problems.at(node, field, "expected " + expectation + ", got " + describe(node));
        return null;
    }

    Long longInteger(YamlNode node, String field, long min, String expectation) {
        if (node instanceof ScalarNode s && s.value() instanceof Long v && v >= min) return v;
        problems.at(node, field, "expected " + expectation + ", got " + describe(node));
        return null;
    }

    /** {@code true} or {@code false}. */
    Boolean bool(YamlNode node, String field) {
        if (node instanceof ScalarNode s && s.kind() == Kind.BOOL) return (Boolean) s.value();
        problems.at(node, field, "expected true or false, got " + describe(node));
        return null;
    }

    /** One of a fixed set of words, e.g. {@code min | max}. */
    String oneOf(YamlNode node, String field, List<String> allowed) {
        if (node instanceof ScalarNode s && s.kind() == Kind.STRING && allowed.contains((String) s.value())) {
            return (String) s.value();
        }
        String hint = node instanceof ScalarNode s && s.kind() == Kind.STRING
                ? DidYouMean.closest(s.text(), allowed).map(c -> "; did you mean '" + c + "'?").orElse("") : "";
        problems.at(node, field, "expected one of " + String.join(", ", allowed) + ", got " + describe(node) + hint);
        return null;
    }
}
