package org.cinelab.tracking;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLMapper;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.SortedMap;

/**
 * Reads and writes MLflow's {@code meta.yaml} files. Writing is done by hand so that every string
 * is quoted (PyYAML would otherwise read names like {@code 123} or {@code true} as numbers or
 * booleans) and keys come out sorted, exactly as MLflow's own files look.
 */
final class MetaYaml {
    static final String FILE_NAME = "meta.yaml";

    private static final ObjectMapper YAML = new YAMLMapper();
    private static final int EMPTY_READ_RETRIES = 2;

    private MetaYaml() {}

    /**
     * One {@code key: value} line per entry, in key order. Values may be strings (quoted), integers
     * (bare), null ({@code null}) or an empty list ({@code []}).
     */
    static String render(SortedMap<String, ?> fields) {
        StringBuilder out = new StringBuilder();
        for (Map.Entry<String, ?> field : fields.entrySet()) {
            out.append(field.getKey()).append(": ").append(scalar(field.getKey(), field.getValue())).append('\n');
        }
        return out.toString();
    }

    private static String scalar(String key, Object value) {
        if (value == null) return "null";
        if (value instanceof Long || value instanceof Integer) return value.toString();
        if (value instanceof String s) return quote(s);
        if (value instanceof List<?> list && list.isEmpty()) return "[]";
        throw new IllegalArgumentException("meta.yaml field '" + key + "' has an unsupported value " + value);
    }

    /** A YAML string that PyYAML's safe loader reads back unchanged, whatever it looks like. */
    static String quote(String s) {
        if (s.codePoints().allMatch(MetaYaml::fitsSingleQuotes)) return "'" + s.replace("'", "''") + "'";
        StringBuilder out = new StringBuilder("\"");
        s.codePoints().forEach(cp -> {
            switch (cp) {
                case '"' -> out.append("\\\"");
                case '\\' -> out.append("\\\\");
                case '\n' -> out.append("\\n");
                case '\t' -> out.append("\\t");
                case '\r' -> out.append("\\r");
                default -> {
                    if (fitsSingleQuotes(cp)) out.appendCodePoint(cp);
                    else if (cp <= 0xFF) out.append(String.format("\\x%02X", cp));
                    else out.append(String.format("\\u%04X", cp));
                }
            }
        });
        return out.append('"').toString();
    }

    /** Printable characters that a single-quoted YAML scalar keeps as they are (no line folding). */
    private static boolean fitsSingleQuotes(int cp) {
        if (cp < 0x20 || cp == 0x7F || (cp >= 0x80 && cp <= 0x9F)) return false;
        if (cp == 0x2028 || cp == 0x2029 || cp == 0xFEFF) return false;
        return !(cp >= Character.MIN_SURROGATE && cp <= Character.MAX_SURROGATE);
    }

    /**
     * Parses a {@code meta.yaml}; empty when the file is missing or stays empty after MLflow's
     * retries (MLflow rewrites some files in place, so a reader may briefly see them empty).
     *
     * @throws IOException naming the file when it is not a YAML mapping
     */
    static Optional<JsonNode> read(Path file) throws IOException {
        for (int attempt = 0; ; attempt++) {
            String text;
            try {
                text = Files.readString(file, StandardCharsets.UTF_8);
            } catch (NoSuchFileException e) {
                return Optional.empty();
            }
            if (!text.isBlank()) return Optional.of(parse(file, text));
            if (attempt == EMPTY_READ_RETRIES) return Optional.empty();
            pause();
        }
    }

    private static JsonNode parse(Path file, String text) throws IOException {
        JsonNode node;
        try {
            node = YAML.readTree(text);
        } catch (IOException e) {
            throw new IOException(file + ": not valid YAML: " + e.getMessage(), e);
        }
        if (node == null || !node.isObject()) {
            throw new IOException(file + ": expected a YAML mapping of MLflow fields, found "
                    + (node == null ? "nothing" : node.getNodeType()));
        }
        return node;
    }

    private static void pause() throws IOException {
        try {
            Thread.sleep(100);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IOException("interrupted while waiting for a meta.yaml being rewritten", e);
        }
    }

    /** A field as text: strings as they are, numbers (bare experiment ids) in decimal; null when absent. */
    static String text(JsonNode meta, String field) {
        JsonNode value = meta.get(field);
        if (value == null || value.isNull()) return null;
        return value.isValueNode() ? value.asText() : value.toString();
    }

    /** An integer field, or null when absent or null. */
    static Long integer(Path file, JsonNode meta, String field) throws IOException {
        JsonNode value = meta.get(field);
        if (value == null || value.isNull()) return null;
        if (value.isIntegralNumber()) return value.longValue();
        if (value.isTextual()) {
            try {
                return Long.parseLong(value.textValue().trim());
            } catch (NumberFormatException e) {
                // fall through to the error below
            }
        }
        throw new IOException(file + ": field '" + field + "' should be an integer, found '" + value.asText() + "'");
    }
}
