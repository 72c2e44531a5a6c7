package org.cinelab.report;

import org.yaml.snakeyaml.LoaderOptions;
import org.yaml.snakeyaml.Yaml;
import org.yaml.snakeyaml.nodes.MappingNode;
import org.yaml.snakeyaml.nodes.Node;
import org.yaml.snakeyaml.nodes.NodeTuple;
import org.yaml.snakeyaml.nodes.ScalarNode;
import org.yaml.snakeyaml.nodes.SequenceNode;
import org.yaml.snakeyaml.nodes.Tag;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Typed reads from a YAML tree that keep each value's line, so a bad report definition is reported
 * as {@code file:line: field 'rows[1].metric': problem}.
 */
final class ReportYaml {
    private final Path file;

    ReportYaml(Path file) { this.file = file; }

    Node parse(String text) {
        try {
            Node root = new Yaml(new LoaderOptions()).compose(new java.io.StringReader(text));
            if (root == null) throw new ReportDefinitionException(file + ": empty report definition");
            return root;
        } catch (org.yaml.snakeyaml.error.MarkedYAMLException e) {
            int line = e.getProblemMark() == null ? 0 : e.getProblemMark().getLine() + 1;
            throw new ReportDefinitionException(file + ":" + line + ": not valid YAML: " + e.getProblem());
        }
    }

    ReportDefinitionException error(Node at, String field, String problem) {
        return new ReportDefinitionException(file + ":" + (at.getStartMark().getLine() + 1) + ": field '" + field + "': " + problem);
    }

    /** The entries of a mapping, refusing keys outside {@code allowed} (null: any key). */
    Map<String, Node> map(Node node, String field, List<String> allowed) {
        if (!(node instanceof MappingNode m)) throw error(node, field, "expected a mapping");
        Map<String, Node> out = new LinkedHashMap<>();
        for (NodeTuple t : m.getValue()) {
            String key = ((ScalarNode) t.getKeyNode()).getValue();
            String path = field.isEmpty() ? key : field + "." + key;
            if (allowed != null && !allowed.contains(key)) throw error(t.getKeyNode(), path, "unknown key; valid keys: " + allowed);
            if (out.containsKey(key)) throw error(t.getKeyNode(), path, "given twice");
            out.put(key, t.getValueNode());
        }
        return out;
    }

    List<Node> list(Node node, String field) {
        if (!(node instanceof SequenceNode s)) throw error(node, field, "expected a list");
        return new ArrayList<>(s.getValue());
    }

    String string(Map<String, Node> map, Node parent, String key, String field, boolean required) {
        Node n = map.get(key);
        if (n == null || isNull(n)) {
            if (required) throw error(parent, qualify(field, key), "required key missing");
            return null;
        }
        if (!(n instanceof ScalarNode s)) throw error(n, qualify(field, key), "expected text");
        return s.getValue();
    }

    Double number(Node n, String field) {
        if (n instanceof ScalarNode s && (s.getTag().equals(Tag.INT) || s.getTag().equals(Tag.FLOAT))) {
            try {
                return Double.parseDouble(s.getValue().replace("_", ""));
            } catch (NumberFormatException ignored) {
                // reported below
            }
        }
        throw error(n, field, "expected a number");
    }

    boolean bool(Map<String, Node> map, String key, String field, boolean otherwise) {
        Node n = map.get(key);
        if (n == null) return otherwise;
        if (n instanceof ScalarNode s && s.getTag().equals(Tag.BOOL)) return Boolean.parseBoolean(s.getValue());
        throw error(n, qualify(field, key), "expected true or false");
    }

    List<Integer> integers(Node n, String field) {
        List<Integer> out = new ArrayList<>();
        for (Node item : list(n, field)) {
            if (!(item instanceof ScalarNode s) || !s.getTag().equals(Tag.INT)) throw error(item, field, "expected whole numbers");
            out.add(Integer.parseInt(s.getValue()));
        }
        if (out.isEmpty()) throw error(n, field, "expected at least one seed");
        return out;
    }

    /** A flat mapping of scalars, e.g. child-run params to match. */
    Map<String, String> scalars(Node n, String field) {
        if (!(n instanceof MappingNode m)) throw error(n, field, "expected a mapping of param: value");
        Map<String, String> out = new LinkedHashMap<>();
        for (NodeTuple t : m.getValue()) {
            String key = ((ScalarNode) t.getKeyNode()).getValue();
            if (!(t.getValueNode() instanceof ScalarNode v)) throw error(t.getValueNode(), field + "." + key, "expected a single value");
            out.put(key, v.getValue());
        }
        return out;
    }

    static boolean isNull(Node n) { return n instanceof ScalarNode s && s.getTag().equals(Tag.NULL); }

    static String qualify(String field, String key) { return field.isEmpty() ? key : field + "." + key; }
}
