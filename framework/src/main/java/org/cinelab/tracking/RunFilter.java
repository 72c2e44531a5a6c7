package org.cinelab.tracking;

import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.regex.Pattern;
import java.util.stream.Collectors;

/**
 * A run search filter in MLflow's syntax ({@code runs/search}): comparisons joined by {@code and}, each
 * {@code metrics.K}, {@code params.K}, {@code tags.K} or {@code attributes.NAME} (a key with other
 * characters than letters, digits, {@code _ . - : /} in backquotes or double quotes), a comparator and
 * a constant. MLflow's rules apply: metrics and numeric attributes ({@code start_time}, {@code end_time})
 * take numbers and {@code = != < <= > >=}; params, tags and string attributes take quoted strings and
 * {@code = != LIKE ILIKE}; {@code attributes.run_id} also takes {@code IN} / {@code NOT IN ('a', 'b')}.
 *
 * <p>One extension: a param compared with an unquoted number ({@code params.lr > 0.01}) compares
 * numerically. MLflow stores params as text and refuses that clause, so a server is sent the other
 * clauses ({@link #forServer()}) and CineLab applies this one to the runs it returns ({@link #clientOnly()}).
 */
public final class RunFilter {
    /** What a clause compares. */
    public enum Entity { METRIC, PARAM, TAG, ATTRIBUTE }

    /** One comparison; {@code value} is a Double, a String or a List of Strings (IN). {@code column} is 1-based. */
    public record Clause(Entity entity, String key, String comparator, Object value, int column) {
        /** True when MLflow cannot evaluate it: a param compared as a number. */
        public boolean clientOnly() { return entity == Entity.PARAM && value instanceof Double; }
    }

    static final Set<String> STRING_ATTRIBUTES = Set.of("run_id", "run_name", "status", "user_id", "artifact_uri", "lifecycle_stage");
    static final Set<String> NUMERIC_ATTRIBUTES = Set.of("start_time", "end_time");
    private static final Set<String> NUMERIC_OPS = Set.of("=", "!=", "<", "<=", ">", ">=");
    private static final Set<String> TEXT_OPS = Set.of("=", "!=", "LIKE", "ILIKE");
    private static final Pattern PLAIN_KEY = Pattern.compile("[A-Za-z0-9_.]+");

    private static final RunFilter EMPTY = new RunFilter("", List.of());

    private final String text;
    private final List<Clause> clauses;

    private RunFilter(String text, List<Clause> clauses) {
        this.text = text;
        this.clauses = List.copyOf(clauses);
    }

    public static RunFilter all() { return EMPTY; }

    /** Parses {@code text}; blank means every run. */
    public static RunFilter parse(String text) {
        if (text == null || text.isBlank()) return EMPTY;
        return new RunFilter(text, new RunFilterParser(text).clauses());
    }

    public List<Clause> clauses() { return clauses; }

    public boolean isEmpty() { return clauses.isEmpty(); }

    public String text() { return text; }

    /** The clauses MLflow evaluates, rendered in its syntax ("" when none). */
    public String forServer() {
        return clauses.stream().filter(c -> !c.clientOnly()).map(RunFilter::render).collect(Collectors.joining(" and "));
    }

    /** The clauses CineLab must apply itself to a server's answer. */
    public RunFilter clientOnly() {
        List<Clause> own = clauses.stream().filter(Clause::clientOnly).toList();
        return own.isEmpty() ? EMPTY : new RunFilter(own.stream().map(RunFilter::render).collect(Collectors.joining(" and ")), own);
    }

    /** Every clause holds for the run (a missing param, tag or metric makes its clause false, as in MLflow). */
    public boolean matches(RunRecord run) {
        for (Clause c : clauses) if (!holds(c, run)) return false;
        return true;
    }

    private static boolean holds(Clause c, RunRecord run) {
        switch (c.entity()) {
            case METRIC -> {
                Double v = run.metrics().get(c.key());
                return v != null && compare(v, c.comparator(), (Double) c.value());
            }
            case PARAM, TAG -> {
                String v = (c.entity() == Entity.PARAM ? run.params() : run.tags()).get(c.key());
                if (v == null) return false;
                if (c.value() instanceof Double number) {
                    try {
                        return compare(Double.parseDouble(v.trim()), c.comparator(), number);
                    } catch (NumberFormatException notANumber) {
                        return false;
                    }
                }
                return text(v, c.comparator(), c.value());
            }
            default -> {
                if (NUMERIC_ATTRIBUTES.contains(c.key())) {
                    Long v = c.key().equals("start_time") ? Long.valueOf(run.info().startTimeMs()) : run.info().endTimeMs();
                    return v != null && compare(v.doubleValue(), c.comparator(), (Double) c.value());
                }
                String v = attribute(run.info(), c.key());
                return v != null && text(v, c.comparator(), c.value());
            }
        }
    }

    static String attribute(RunInfo info, String key) {
        return switch (key) {
            case "run_id" -> info.runId();
            case "run_name" -> info.runName();
            case "status" -> info.status() == null ? null : info.status().name();
            case "user_id" -> info.userId();
            case "artifact_uri" -> info.artifactUri();
            case "lifecycle_stage" -> info.lifecycleStage();
            default -> null;
        };
    }

    private static boolean compare(double actual, String op, double expected) {
        return switch (op) {
            case "=" -> actual == expected;
            case "!=" -> actual != expected;
            case "<" -> actual < expected;
            case "<=" -> actual <= expected;
            case ">" -> actual > expected;
            default -> actual >= expected;
        };
    }

    private static boolean text(String actual, String op, Object expected) {
        return switch (op) {
            case "=" -> actual.equals(expected);
            case "!=" -> !actual.equals(expected);
            case "LIKE" -> like(actual, (String) expected, false);
            case "ILIKE" -> like(actual, (String) expected, true);
            case "IN" -> ((List<?>) expected).contains(actual);
            default -> !((List<?>) expected).contains(actual); // NOT IN
        };
    }

    /** SQL LIKE: {@code %} any run of characters, {@code _} one character. */
    static boolean like(String actual, String pattern, boolean ignoreCase) {
        StringBuilder regex = new StringBuilder();
        for (char ch : pattern.toCharArray()) {
            if (ch == '%') regex.append(".*");
            else if (ch == '_') regex.append('.');
            else regex.append(Pattern.quote(String.valueOf(ch)));
        }
        int flags = Pattern.DOTALL | (ignoreCase ? Pattern.CASE_INSENSITIVE | Pattern.UNICODE_CASE : 0);
        return Pattern.compile(regex.toString(), flags).matcher(actual).matches();
    }

    static String render(Clause c) {
        String prefix = switch (c.entity()) {
            case METRIC -> "metrics.";
            case PARAM -> "params.";
            case TAG -> "tags.";
            case ATTRIBUTE -> "attributes.";
        };
        String key = PLAIN_KEY.matcher(c.key()).matches() ? c.key() : "`" + c.key() + "`";
        return prefix + key + " " + c.comparator() + " " + literal(c.value());
    }

    private static String literal(Object value) {
        if (value instanceof Double d) return d == Math.rint(d) && Math.abs(d) < 1e15 ? Long.toString(d.longValue()) : Double.toString(d);
        if (value instanceof List<?> list) return list.stream().map(v -> quote((String) v)).collect(Collectors.joining(", ", "(", ")"));
        return quote((String) value);
    }

    /** A string literal as MLflow's parser reads it. */
    public static String quote(String s) { return "'" + s.replace("\\", "\\\\").replace("'", "\\'") + "'"; }

    static boolean numericOp(String op) { return NUMERIC_OPS.contains(op); }

    static boolean textOp(String op) { return TEXT_OPS.contains(op); }

    static String entityName(Entity e) { return e.name().toLowerCase(Locale.ROOT); }

    /** Allowed comparators per kind of identifier, for messages. */
    static final Map<String, String> ALLOWED = Map.of(
            "metric", "= != < <= > >= with a number",
            "param", "= != LIKE ILIKE with a quoted string (or = != < <= > >= with a number)",
            "tag", "= != LIKE ILIKE with a quoted string",
            "string attribute", "= != LIKE ILIKE with a quoted string (run_id also IN / NOT IN ('a', 'b'))",
            "numeric attribute", "= != < <= > >= with a number (milliseconds since the epoch)");

    @Override
    public String toString() { return text; }
}
