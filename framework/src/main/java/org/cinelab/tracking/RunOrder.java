package org.cinelab.tracking;

import java.util.Comparator;
import java.util.List;
import java.util.Locale;

/**
 * One {@code order_by} key of a run search in MLflow's syntax: {@code metrics.test_rmse},
 * {@code params.lr DESC}, {@code attributes.start_time ASC} (ascending unless DESC). As in MLflow, runs
 * without the value come last either way, and numbers compare as numbers (params as text, like MLflow).
 */
public record RunOrder(RunFilter.Entity entity, String key, boolean ascending) {

    /** Parses one key; a bad one fails with its column. */
    public static RunOrder parse(String text) {
        String t = text == null ? "" : text.strip();
        if (t.isEmpty()) throw new RunFilterException(String.valueOf(text), 1, "empty sort key; expected e.g. metrics.test_rmse or 'params.lr DESC'");
        boolean ascending = true;
        String[] words = t.split("\\s+");
        String identifier = t;
        if (words.length > 1) {
            String last = words[words.length - 1].toUpperCase(Locale.ROOT);
            if (!last.equals("ASC") && !last.equals("DESC")) {
                throw new RunFilterException(t, t.lastIndexOf(words[words.length - 1]) + 1,
                        "expected ASC or DESC after the sort key, found '" + words[words.length - 1] + "'");
            }
            ascending = last.equals("ASC");
            identifier = t.substring(0, t.length() - words[words.length - 1].length()).strip();
        }
        RunFilterParser.Identifier id;
        try {
            id = new RunFilterParser(identifier).identifierOnly();
        } catch (RunFilterException e) {
            throw new RunFilterException(t, e.column(), e.getMessage().replaceFirst("^column \\d+: ", ""));
        }
        return new RunOrder(id.entity(), id.key(), ascending);
    }

    /** MLflow's rendering, for {@code runs/search}'s {@code order_by}. */
    public String forServer() {
        String prefix = switch (entity) {
            case METRIC -> "metrics.";
            case PARAM -> "params.";
            case TAG -> "tags.";
            case ATTRIBUTE -> "attributes.";
        };
        String k = key.matches("[A-Za-z0-9_.]+") ? key : "`" + key + "`";
        return prefix + k + (ascending ? " ASC" : " DESC");
    }

    /** The value this key sorts on, or null when the run lacks it. */
    Comparable<?> valueOf(RunRecord run) {
        return switch (entity) {
            case METRIC -> run.metrics().get(key);
            case PARAM -> run.params().get(key);
            case TAG -> run.tags().get(key);
            case ATTRIBUTE -> switch (key) {
                case "start_time" -> run.info().startTimeMs();
                case "end_time" -> run.info().endTimeMs();
                default -> RunFilter.attribute(run.info(), key);
            };
        };
    }

    /**
     * MLflow's order: by each key in turn, then newest start first and run id; missing values (and NaN)
     * after the others.
     */
    public static Comparator<RunRecord> comparator(List<RunOrder> keys) {
        Comparator<RunRecord> natural = Comparator.comparingLong((RunRecord r) -> -r.info().startTimeMs()).thenComparing(RunRecord::runId);
        Comparator<RunRecord> order = null;
        for (RunOrder o : keys) order = order == null ? o.comparator() : order.thenComparing(o.comparator());
        return order == null ? natural : order.thenComparing(natural);
    }

    @SuppressWarnings({"unchecked", "rawtypes"})
    private Comparator<RunRecord> comparator() {
        return (a, b) -> {
            Comparable va = valueOf(a);
            Comparable vb = valueOf(b);
            boolean ma = va == null || va instanceof Double d && d.isNaN();
            boolean mb = vb == null || vb instanceof Double d && d.isNaN();
            if (ma || mb) return ma == mb ? 0 : ma ? 1 : -1;
            int c = va.compareTo(vb);
            return ascending ? c : -c;
        };
    }
}
