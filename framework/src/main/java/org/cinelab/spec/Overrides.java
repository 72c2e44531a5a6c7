package org.cinelab.spec;

import org.cinelab.spec.YamlNode.Entry;
import org.cinelab.spec.YamlNode.ListNode;
import org.cinelab.spec.YamlNode.MapNode;
import org.cinelab.spec.YamlNode.ScalarNode;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;

/**
 * {@code --set key.path=value} overrides, applied to the spec's YAML tree before it is validated,
 * so an override is checked exactly like the file: {@code --set search.max_epochs=9},
 * {@code --set 'space.lr={loguniform: [0.001, 0.1]}'}. The value is YAML (flow style). Nodes that
 * come from override k carry line {@code -(k + 1)}, which {@link Problems} reports as
 * {@code --set 'search.max_epochs=abc':1:18}.
 */
final class Overrides {
    private Overrides() {}

    /** {@code root} with every override applied in order; problems with an override's shape are recorded. */
    static YamlNode apply(YamlNode root, List<String> overrides, Problems problems) {
        for (int k = 0; k < overrides.size(); k++) {
            String o = overrides.get(k);
            int line = -(k + 1);
            int eq = o.indexOf('=');
            String path = eq < 0 ? "" : o.substring(0, eq).trim();
            if (eq < 0 || path.isEmpty() || path.startsWith(".") || path.endsWith(".") || path.contains("..")) {
                problems.at(line, 1, "--set", "expected key.path=value, e.g. search.max_epochs=9 or "
                        + "'space.lr={loguniform: [0.001, 0.1]}', got '" + o + "'");
                continue;
            }
            String valueText = o.substring(eq + 1);
            Problems valueProblems = new Problems(null);
            YamlNode value = YamlTreeReader.read(valueText.isBlank() ? "null" : valueText, valueProblems);
            if (!valueProblems.isEmpty()) {
                for (SpecProblem p : valueProblems.sorted()) {
                    problems.at(line, eq + 1 + p.column(), path, "the value is not valid YAML: " + p.message());
                }
                continue;
            }
            value = relocate(value, line, eq + 1);
            if (!(root instanceof MapNode)) root = new MapNode(1, 1, new LinkedHashMap<>());
            set((MapNode) root, path.split("\\."), 0, value, line);
        }
        return root;
    }

    private static void set(MapNode map, String[] keys, int i, YamlNode value, int line) {
        String key = keys[i];
        if (i == keys.length - 1) {
            map.entries().put(key, new Entry(key, line, 1, value));
            return;
        }
        Entry existing = map.entry(key);
        MapNode child;
        if (existing != null && existing.value() instanceof MapNode m) {
            child = m;
        } else {
            child = new MapNode(line, 1, new LinkedHashMap<>());
            map.entries().put(key, new Entry(key, line, 1, child));
        }
        set(child, keys, i + 1, value, line);
    }

    /** The value's nodes placed on the override's pseudo line, columns shifted past {@code key=}. */
    private static YamlNode relocate(YamlNode node, int line, int shift) {
        int column = node.column() + shift;
        if (node instanceof MapNode m) {
            LinkedHashMap<String, Entry> entries = new LinkedHashMap<>();
            m.entries().forEach((k, e) -> entries.put(k, new Entry(k, line, e.column() + shift, relocate(e.value(), line, shift))));
            return new MapNode(line, column, entries);
        }
        if (node instanceof ListNode l) {
            List<YamlNode> items = new ArrayList<>();
            for (YamlNode item : l.items()) items.add(relocate(item, line, shift));
            return new ListNode(line, column, items);
        }
        ScalarNode s = (ScalarNode) node;
        return new ScalarNode(line, column, s.kind(), s.value(), s.text());
    }
}
