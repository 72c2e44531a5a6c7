package org.cinelab.spec;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A YAML value with the 1-based line and column where it starts, so that every problem the
 * validator finds can point at the exact spot in the spec file.
 */
sealed interface YamlNode {
    int line();

    int column();

    /** A mapping; keys keep their own location because unknown or duplicate keys are reported there. */
    record MapNode(int line, int column, LinkedHashMap<String, Entry> entries) implements YamlNode {
        Entry entry(String key) { return entries.get(key); }

        YamlNode get(String key) {
            Entry e = entries.get(key);
            return e == null ? null : e.value();
        }
    }

    /** One {@code key: value} pair of a {@link MapNode}; line and column are the key's. */
    record Entry(String key, int line, int column, YamlNode value) {}

    record ListNode(int line, int column, List<YamlNode> items) implements YamlNode {}

    /**
     * A scalar with its YAML type. {@code value} is a String, a Long or BigInteger, a Double, a
     * Boolean or null, matching {@code kind}; {@code text} is the scalar as written.
     */
    record ScalarNode(int line, int column, Kind kind, Object value, String text) implements YamlNode {
        enum Kind { STRING, INT, FLOAT, BOOL, NULL }

        boolean isNull() { return kind == Kind.NULL; }
    }

    /** Plain Java objects (LinkedHashMap, List, scalars) for free-form sections such as {@code paper:}. */
    static Object toPlain(YamlNode node) {
        if (node instanceof MapNode m) {
            Map<String, Object> out = new LinkedHashMap<>();
            m.entries().forEach((k, e) -> out.put(k, toPlain(e.value())));
            return out;
        }
        if (node instanceof ListNode l) return l.items().stream().map(YamlNode::toPlain).toList();
        ScalarNode s = (ScalarNode) node;
        if (s.value() instanceof Long v && v >= Integer.MIN_VALUE && v <= Integer.MAX_VALUE) return v.intValue();
        return s.value();
    }
}
