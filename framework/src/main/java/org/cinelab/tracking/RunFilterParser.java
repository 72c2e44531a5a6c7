package org.cinelab.tracking;

import org.cinelab.tracking.RunFilter.Clause;
import org.cinelab.tracking.RunFilter.Entity;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** Reads MLflow's search filter grammar (see {@link RunFilter}), failing at the first problem with its column. */
final class RunFilterParser {
    private static final Pattern NUMBER = Pattern.compile("[+-]?(\\d+\\.?\\d*|\\.\\d+)([eE][+-]?\\d+)?");
    private static final Pattern WORD = Pattern.compile("[A-Za-z_][A-Za-z0-9_]*");
    private static final Pattern KEY = Pattern.compile("[A-Za-z0-9_.\\-:/]+");

    private final String text;
    private int pos;

    RunFilterParser(String text) { this.text = text; }

    List<Clause> clauses() {
        List<Clause> out = new ArrayList<>();
        while (true) {
            out.add(clause());
            skipSpace();
            if (pos >= text.length()) return out;
            int at = pos;
            String word = word();
            if (word == null) throw error(at, "expected 'and' between comparisons, found '" + rest(at) + "'");
            if (word.equalsIgnoreCase("or")) throw error(at, "'or' is not part of MLflow's search syntax; only 'and' joins comparisons");
            if (!word.equalsIgnoreCase("and")) throw error(at, "expected 'and' between comparisons, found '" + word + "'");
        }
    }

    /** A comparison: identifier, comparator, constant. */
    private Clause clause() {
        skipSpace();
        int start = pos;
        if (pos >= text.length()) throw error(start, "expected a comparison like metrics.rmse < 0.9 or params.optimizer = 'adam'");
        Identifier id = identifier();
        skipSpace();
        int opAt = pos;
        String op = comparator();
        if (op == null) {
            throw error(opAt, "expected a comparator (= != < <= > >= LIKE ILIKE IN) after '" + text.substring(start, opAt).strip()
                    + "', found " + (opAt >= text.length() ? "the end" : "'" + rest(opAt) + "'"));
        }
        if (pos < text.length() && "<>=!".indexOf(text.charAt(pos)) >= 0) {
            throw error(opAt, "unknown comparator '" + text.substring(opAt, pos + 1) + "'; expected one of = != < <= > >= LIKE ILIKE IN");
        }
        skipSpace();
        int valueAt = pos;
        Object value = value(op);
        return check(id, op, value, opAt, valueAt);
    }

    record Identifier(Entity entity, String key, int column) {}

    /** Just an identifier (a sort key), which must be all of the text. */
    Identifier identifierOnly() {
        skipSpace();
        Identifier id = identifier();
        skipSpace();
        if (pos < text.length()) throw error(pos, "unexpected '" + rest(pos) + "' after '" + text.substring(0, pos).strip() + "'");
        return id;
    }

    private Identifier identifier() {
        int start = pos;
        String word = word();
        if (word == null) {
            throw error(start, "expected metrics.KEY, params.KEY, tags.KEY or attributes.NAME, found '" + rest(start) + "'");
        }
        if (pos >= text.length() || text.charAt(pos) != '.') {
            // a bare name is an attribute, as in MLflow (status = 'FINISHED')
            return new Identifier(Entity.ATTRIBUTE, attributeKey(word, start), start + 1);
        }
        Entity entity = switch (word.toLowerCase(Locale.ROOT)) {
            case "metric", "metrics" -> Entity.METRIC;
            case "param", "params", "parameter", "parameters" -> Entity.PARAM;
            case "tag", "tags" -> Entity.TAG;
            case "attribute", "attributes", "attr", "run" -> Entity.ATTRIBUTE;
            default -> throw error(start, "unknown identifier type '" + word + "'; expected metrics., params., tags. or attributes.");
        };
        pos++; // the dot
        int keyAt = pos;
        String key;
        if (pos < text.length() && (text.charAt(pos) == '`' || text.charAt(pos) == '"')) {
            char quote = text.charAt(pos);
            int end = text.indexOf(quote, pos + 1);
            if (end < 0) throw error(keyAt, "unclosed " + quote + " around a key");
            key = text.substring(pos + 1, end);
            pos = end + 1;
        } else {
            Matcher m = KEY.matcher(text).region(pos, text.length());
            if (!m.lookingAt()) throw error(keyAt, "expected a key after '" + word + ".'");
            key = m.group();
            pos = m.end();
        }
        if (key.isEmpty()) throw error(keyAt, "empty key after '" + word + ".'");
        if (entity == Entity.ATTRIBUTE) key = attributeKey(key, keyAt);
        return new Identifier(entity, key, start + 1);
    }

    private String attributeKey(String name, int at) {
        String key = name.equals("created") ? "start_time" : name;
        if (!RunFilter.STRING_ATTRIBUTES.contains(key) && !RunFilter.NUMERIC_ATTRIBUTES.contains(key)) {
            throw error(at, "unknown attribute '" + name + "'; expected one of run_id, run_name, status, user_id, artifact_uri, "
                    + "lifecycle_stage, start_time, end_time (or metrics., params., tags. before a key)");
        }
        return key;
    }

    private String comparator() {
        if (pos >= text.length()) return null;
        for (String op : List.of("!=", "<=", ">=", "=", "<", ">")) {
            if (text.startsWith(op, pos)) {
                if (op.equals("=") && text.startsWith("==", pos)) return null;
                pos += op.length();
                return op;
            }
        }
        int save = pos;
        String word = word();
        if (word == null) return null;
        String upper = word.toUpperCase(Locale.ROOT);
        if (upper.equals("LIKE") || upper.equals("ILIKE") || upper.equals("IN")) return upper;
        if (upper.equals("NOT")) {
            skipSpace();
            String next = word();
            if (next != null && next.equalsIgnoreCase("IN")) return "NOT IN";
        }
        pos = save;
        return null;
    }

    private Object value(String op) {
        int at = pos;
        if (pos >= text.length()) throw error(at, "expected a value after '" + op + "'");
        char c = text.charAt(pos);
        if (c == '\'' || c == '"') return string();
        if (c == '(') {
            pos++;
            List<String> items = new ArrayList<>();
            while (true) {
                skipSpace();
                if (pos >= text.length()) throw error(at, "unclosed '(' of a list");
                char q = text.charAt(pos);
                if (q != '\'' && q != '"') throw error(pos, "expected a quoted string in the list, found '" + rest(pos) + "'");
                items.add(string());
                skipSpace();
                if (pos < text.length() && text.charAt(pos) == ',') { pos++; continue; }
                if (pos < text.length() && text.charAt(pos) == ')') { pos++; break; }
                throw error(pos, "expected ',' or ')' in the list, found " + (pos >= text.length() ? "the end" : "'" + rest(pos) + "'"));
            }
            if (items.isEmpty()) throw error(at, "empty list");
            return List.copyOf(items);
        }
        Matcher m = NUMBER.matcher(text).region(pos, text.length());
        if (m.lookingAt() && (m.end() == text.length() || !Character.isLetterOrDigit(text.charAt(m.end())) && text.charAt(m.end()) != '_')) {
            pos = m.end();
            return Double.parseDouble(m.group());
        }
        throw error(at, "expected a number or a quoted string, found '" + rest(at) + "' (quote text values: 'adam')");
    }

    private String string() {
        char quote = text.charAt(pos);
        int start = pos;
        StringBuilder sb = new StringBuilder();
        pos++;
        while (pos < text.length()) {
            char c = text.charAt(pos);
            if (c == '\\' && pos + 1 < text.length()) {
                sb.append(text.charAt(pos + 1));
                pos += 2;
            } else if (c == quote) {
                pos++;
                return sb.toString();
            } else {
                sb.append(c);
                pos++;
            }
        }
        throw error(start, "unclosed " + quote + " string");
    }

    /** MLflow's typing rules for each kind of identifier. */
    private Clause check(Identifier id, String op, Object value, int opAt, int valueAt) {
        String kind = switch (id.entity()) {
            case METRIC -> "metric";
            case PARAM -> "param";
            case TAG -> "tag";
            case ATTRIBUTE -> RunFilter.NUMERIC_ATTRIBUTES.contains(id.key()) ? "numeric attribute" : "string attribute";
        };
        boolean number = value instanceof Double;
        boolean list = value instanceof List<?>;
        boolean ok = switch (kind) {
            case "metric", "numeric attribute" -> number && RunFilter.numericOp(op);
            case "param" -> number ? RunFilter.numericOp(op) : !list && RunFilter.textOp(op);
            case "tag" -> !number && !list && RunFilter.textOp(op);
            default -> list ? (op.equals("IN") || op.equals("NOT IN")) && id.key().equals("run_id")
                    : !number && RunFilter.textOp(op);
        };
        if (!ok) {
            boolean opFits = switch (kind) {
                case "metric", "numeric attribute" -> RunFilter.numericOp(op);
                case "param" -> RunFilter.numericOp(op) || RunFilter.textOp(op);
                case "tag" -> RunFilter.textOp(op);
                default -> RunFilter.textOp(op) || op.equals("IN") || op.equals("NOT IN");
            };
            int at = opFits ? valueAt : opAt;
            String what = number ? "a number" : list ? "a list" : "a quoted string";
            throw error(at, kind + " '" + id.key() + "' cannot be compared with " + op + " and " + what + "; allowed: "
                    + RunFilter.ALLOWED.get(kind));
        }
        return new Clause(id.entity(), id.key(), op, value, id.column());
    }

    private String word() {
        Matcher m = WORD.matcher(text).region(pos, text.length());
        if (!m.lookingAt()) return null;
        pos = m.end();
        return m.group();
    }

    private void skipSpace() {
        while (pos < text.length() && Character.isWhitespace(text.charAt(pos))) pos++;
    }

    private String rest(int at) {
        String r = at >= text.length() ? "" : text.substring(at).split("\\s+", 2)[0];
        return r.length() > 30 ? r.substring(0, 30) + "…" : r;
    }

    private RunFilterException error(int at, String problem) {
        return new RunFilterException(text, at + 1, problem);
    }
}
