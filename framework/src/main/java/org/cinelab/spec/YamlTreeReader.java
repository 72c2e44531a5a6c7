package org.cinelab.spec;

import com.fasterxml.jackson.core.JsonLocation;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import com.fasterxml.jackson.dataformat.yaml.YAMLParser;
import org.cinelab.spec.YamlNode.Entry;
import org.cinelab.spec.YamlNode.ListNode;
import org.cinelab.spec.YamlNode.MapNode;
import org.cinelab.spec.YamlNode.ScalarNode;
import org.cinelab.spec.YamlNode.ScalarNode.Kind;

import java.io.IOException;
import java.math.BigInteger;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * Builds a located {@link YamlNode} tree from YAML text with Jackson's streaming parser.
 * Syntax errors, duplicate keys, unknown aliases and extra documents become problems.
 *
 * <p>Aliases share the anchored node rather than copying it, but whoever walks the tree (the
 * resolved spec, {@code paper:}) sees every copy: the nodes a document stands for once its aliases
 * are expanded are counted, and a spec beyond {@value #MAX_EXPANDED_NODES} (a "billion laughs"
 * alias bomb) is rejected at the alias that crosses the limit, before anything walks it.
 *
 * <p>Scalars follow YAML 1.2's core schema where YAML 1.1 would surprise: only
 * {@code true}/{@code false} are booleans ({@code yes}, {@code no}, {@code on}, {@code off} stay
 * strings); {@code 1e-4}, {@code 1.0e-4}, {@code .5}, {@code .inf} and {@code .nan} are numbers.
 */
final class YamlTreeReader {
    static final String SYNTAX_FIELD = "(yaml)";
    /** Far above any real spec (the studies' largest has a few hundred nodes), far below what hurts. */
    static final int MAX_EXPANDED_NODES = 100_000;
    private static final YAMLFactory FACTORY = new YAMLFactory();

    private final Problems problems;
    private final Map<String, YamlNode> anchors = new HashMap<>();
    /** Expanded node count of each anchored node. */
    private final Map<String, Long> anchorSizes = new HashMap<>();
    private long expandedNodes;
    private YAMLParser parser;

    private YamlTreeReader(Problems problems) { this.problems = problems; }

    /** The document's root node; null when the text is empty or not valid YAML (then a problem is recorded). */
    static YamlNode read(String text, Problems problems) {
        return new YamlTreeReader(problems).readDocument(text);
    }

    private YamlNode readDocument(String text) {
        try (YAMLParser p = (YAMLParser) FACTORY.createParser(text)) {
            parser = p;
            JsonToken first = p.nextToken();
            if (first == null) return null;
            YamlNode root = readValue(first, "");
            if (p.nextToken() != null) {
                JsonLocation at = p.currentTokenLocation();
                problems.at(at.getLineNr(), at.getColumnNr(), SYNTAX_FIELD,
                        "a spec is one YAML document, but another starts here; remove the extra '---' section");
            }
            return root;
        } catch (IOException | RuntimeException e) {
            reportSyntaxError(e);
            return null;
        }
    }

    private YamlNode readValue(JsonToken token, String path) throws IOException {
        JsonLocation at = parser.currentTokenLocation();
        int line = at.getLineNr();
        int column = at.getColumnNr();
        if (parser.isCurrentAlias()) return resolveAlias(parser.getText(), line, column, path);
        String anchor = parser.getCurrentAnchor();
        long before = expandedNodes;
        count(1, line, column, path, null);
        YamlNode node = switch (token) {
            case START_OBJECT -> readMap(line, column, path);
            case START_ARRAY -> readList(line, column, path);
            default -> readScalar(token, line, column);
        };
        if (anchor != null) {
            anchors.put(anchor, node);
            anchorSizes.put(anchor, expandedNodes - before);
        }
        return node;
    }

    private MapNode readMap(int line, int column, String path) throws IOException {
        LinkedHashMap<String, Entry> entries = new LinkedHashMap<>();
        for (JsonToken t = parser.nextToken(); t != JsonToken.END_OBJECT; t = parser.nextToken()) {
            String key = String.valueOf(parser.currentName());
            JsonLocation keyAt = parser.currentTokenLocation();
            String field = path.isEmpty() ? key : path + "." + key;
            YamlNode value = readValue(parser.nextToken(), field);
            Entry first = entries.get(key);
            if (first != null) {
                problems.at(keyAt.getLineNr(), keyAt.getColumnNr(), field,
                        "duplicate key; first given at line " + first.line());
            } else {
                entries.put(key, new Entry(key, keyAt.getLineNr(), keyAt.getColumnNr(), value));
            }
        }
        return new MapNode(line, column, entries);
    }

    private ListNode readList(int line, int column, String path) throws IOException {
        List<YamlNode> items = new ArrayList<>();
        for (JsonToken t = parser.nextToken(); t != JsonToken.END_ARRAY; t = parser.nextToken()) {
            items.add(readValue(t, path + "[" + items.size() + "]"));
        }
        return new ListNode(line, column, items);
    }

    private ScalarNode readScalar(JsonToken token, int line, int column) throws IOException {
        String text = parser.getText();
        return switch (token) {
            case VALUE_NULL -> new ScalarNode(line, column, Kind.NULL, null, text);
            case VALUE_TRUE, VALUE_FALSE -> text.equalsIgnoreCase("true") || text.equalsIgnoreCase("false")
                    ? new ScalarNode(line, column, Kind.BOOL, token == JsonToken.VALUE_TRUE, text)
                    : new ScalarNode(line, column, Kind.STRING, text, text);
            case VALUE_NUMBER_INT -> new ScalarNode(line, column, Kind.INT, integerValue(), text);
            case VALUE_NUMBER_FLOAT -> new ScalarNode(line, column, Kind.FLOAT, floatValue(text), text);
            default -> new ScalarNode(line, column, Kind.STRING, text, text);
        };
    }

    private Object integerValue() throws IOException {
        Number n = parser.getNumberValue();
        if (n instanceof BigInteger big) return big.bitLength() < 64 ? (Object) big.longValue() : big;
        return n.longValue();
    }

    private double floatValue(String text) throws IOException {
        String t = text.toLowerCase(Locale.ROOT);
        return switch (t) {
            case ".inf", "+.inf" -> Double.POSITIVE_INFINITY;
            case "-.inf" -> Double.NEGATIVE_INFINITY;
            case ".nan" -> Double.NaN;
            default -> parser.getDoubleValue();
        };
    }

    private YamlNode resolveAlias(String name, int line, int column, String path) {
        YamlNode target = anchors.get(name);
        if (target == null) {
            throw new LocatedError(line, column, SYNTAX_FIELD,
                    "invalid YAML: alias *" + name + " names no anchor (&" + name + ") defined before it");
        }
        count(anchorSizes.get(name), line, column, path, name);
        return target;
    }

    /** Adds {@code nodes} to the expanded size of the document, failing at this spot beyond the limit. */
    private void count(long nodes, int line, int column, String path, String alias) {
        expandedNodes += nodes;
        if (expandedNodes <= MAX_EXPANDED_NODES) return;
        String what = alias == null ? "this value" : "alias *" + alias + " (" + nodes + " nodes)";
        throw new LocatedError(line, column, path.isEmpty() ? SYNTAX_FIELD : path, "the spec expands to more than "
                + MAX_EXPANDED_NODES + " YAML nodes with " + what + "; aliases nested this deep multiply (a"
                + " 'billion laughs' alias bomb?): a spec needs far fewer, so use fewer or shallower aliases");
    }

    /** A problem found while building the tree (an alias without anchor, a document too large once expanded). */
    private static final class LocatedError extends RuntimeException {
        final int line;
        final int column;
        final String field;

        LocatedError(int line, int column, String field, String message) {
            super(message, null, false, false);
            this.line = line;
            this.column = column;
            this.field = field;
        }
    }

    private void reportSyntaxError(Exception e) {
        if (e instanceof LocatedError located) {
            problems.at(located.line, located.column, located.field, located.getMessage());
            return;
        }
        for (Throwable t = e; t != null; t = t.getCause()) {
            if (t instanceof org.yaml.snakeyaml.error.MarkedYAMLException m && m.getProblemMark() != null) {
                String context = m.getContext() == null || m.getContextMark() == null ? ""
                        : m.getContext() + " (started at line " + (m.getContextMark().getLine() + 1)
                          + ", column " + (m.getContextMark().getColumn() + 1) + "): ";
                problems.at(m.getProblemMark().getLine() + 1, m.getProblemMark().getColumn() + 1, SYNTAX_FIELD,
                        "invalid YAML: " + context + oneLine(m.getProblem()));
                return;
            }
        }
        JsonLocation at = e instanceof JsonProcessingException j ? j.getLocation() : null;
        String message = e instanceof JsonProcessingException j ? j.getOriginalMessage() : e.getMessage();
        if (message != null && message.startsWith("Expected a field name")) message = "a key must be a plain value, not a list or a map";
        problems.at(at == null ? 0 : at.getLineNr(), at == null ? 0 : at.getColumnNr(), SYNTAX_FIELD,
                "invalid YAML: " + oneLine(String.valueOf(message)));
    }

    private static String oneLine(String s) { return s.replaceAll("\\s*\\n\\s*", " ").trim(); }
}
