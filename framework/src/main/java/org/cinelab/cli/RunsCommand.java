package org.cinelab.cli;

import org.cinelab.tracking.ExperimentInfo;
import org.cinelab.tracking.RunFilter;
import org.cinelab.tracking.RunFilterException;
import org.cinelab.tracking.RunOrder;
import org.cinelab.tracking.RunQuery;
import org.cinelab.tracking.RunRecord;
import org.cinelab.tracking.Tracker;
import org.cinelab.tracking.factory.TrackerFactory;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

import java.io.PrintWriter;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.Callable;
import java.util.stream.Collectors;

/**
 * {@code cinelab runs [EXPERIMENT...] [--filter F] [--sort KEY] [--csv]}: the runs of one or more
 * experiments across executions, params and metrics side by side, from a file store or an MLflow
 * server (which evaluates the filter itself).
 */
@Command(name = "runs", description = {
        "List runs across executions with their params and final metrics, filtered and sorted with MLflow's search syntax.",
        "Example: cinelab runs quickstart --filter \"params.lr > 0.01 and metrics.val_rmse < 0.95\" --sort metrics.test_rmse"})
final class RunsCommand implements Callable<Integer> {
    static final int DEFAULT_METRIC_COLUMNS = 6;
    static final int DEFAULT_PARAM_COLUMNS = 6;
    /** Param prefixes left out of the default columns unless the filter or sort names them: trial and data bookkeeping. */
    private static final List<String> BOOKKEEPING = List.of("trial.", "dataset.", "split.", "text.", "search.", "objective.", "space.");
    private static final DateTimeFormatter TIME = DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm").withZone(ZoneOffset.UTC);

    @picocli.CommandLine.Spec
    picocli.CommandLine.Model.CommandSpec commandSpec;

    @Parameters(paramLabel = "EXPERIMENT", arity = "0..*", description = "Experiment names (default: every active experiment).")
    List<String> experiments = new ArrayList<>();

    @Option(names = "--filter", paramLabel = "FILTER", description = {
            "MLflow search filter: comparisons joined by 'and', e.g. \"params.lr > 0.01 and metrics.val_rmse < 0.95\",",
            "\"tags.mlflow.parentRunId = 'ID'\", \"attributes.status = 'FINISHED'\", \"attributes.run_id IN ('a', 'b')\"."})
    String filter;

    @Option(names = "--sort", paramLabel = "KEY", split = ",", description = "Sort keys, e.g. metrics.test_rmse or 'params.lr DESC' (comma-separated).")
    List<String> sort = new ArrayList<>();

    @Option(names = "--columns", paramLabel = "COLS", split = ",",
            description = "Columns to show instead of the default ones, e.g. params.lr,metrics.test_rmse,tags.cinelab.seed.")
    List<String> columns = new ArrayList<>();

    @Option(names = "--max", paramLabel = "N", defaultValue = "1000", description = "At most N runs (default ${DEFAULT-VALUE}).")
    int max;

    @Option(names = "--csv", description = "Print CSV with every param, metric and provenance tag instead of a table.")
    boolean csv;

    @Option(names = "--tracking-uri", paramLabel = "URI",
            description = "MLflow store: a directory, file: URI or http(s):// server (default: MLFLOW_TRACKING_URI, then ./mlruns).")
    String trackingUri;

    @Override
    public Integer call() throws Exception {
        PrintWriter out = commandSpec.commandLine().getOut();
        RunFilter parsedFilter = parseFilter(filter);
        List<RunOrder> order = new ArrayList<>();
        for (String key : sort) order.add(parseOrder(key));
        List<Column> chosen = new ArrayList<>();
        for (String c : columns) chosen.add(Column.parse(c));
        if (max < 1) throw new Main.BadInputException("--max " + max + ": expected at least 1");
        try (Tracker tracker = TrackerFactory.open(trackingUri)) {
            Map<String, String> names = experimentIds(tracker);
            List<RunRecord> runs = tracker.searchRuns(new RunQuery(List.copyOf(names.keySet()), parsedFilter, order, max));
            if (csv) {
                out.print(csv(runs, names));
            } else {
                out.printf("%d run(s) in %s%s%s%n", runs.size(),
                        names.size() <= 3 ? String.join(", ", names.values()) : names.size() + " experiments",
                        parsedFilter.isEmpty() ? "" : ", filter: " + parsedFilter.text(),
                        order.isEmpty() ? "" : ", sorted by " + order.stream().map(RunOrder::forServer).collect(Collectors.joining(", ")));
                out.printf("store: %s%n", tracker.describe());
                if (!runs.isEmpty()) out.print(table(runs, names, chosen.isEmpty() ? defaultColumns(runs, parsedFilter, order, out) : chosen));
            }
        }
        out.flush();
        return 0;
    }

    static RunFilter parseFilter(String text) {
        try {
            return RunFilter.parse(text);
        } catch (RunFilterException e) {
            throw new Main.BadInputException("--filter " + e.getMessage() + System.lineSeparator() + e.pointer());
        }
    }

    static RunOrder parseOrder(String text) {
        try {
            return RunOrder.parse(text);
        } catch (RunFilterException e) {
            throw new Main.BadInputException("--sort " + e.getMessage() + System.lineSeparator() + e.pointer());
        }
    }

    /** Experiment id -> name: the named ones (each must exist) or every active one. */
    private Map<String, String> experimentIds(Tracker tracker) throws java.io.IOException {
        Map<String, String> out = new LinkedHashMap<>();
        if (experiments.isEmpty()) {
            List<ExperimentInfo> all;
            try {
                all = tracker.listExperiments();
            } catch (UnsupportedOperationException e) {
                throw new Main.BadInputException(tracker.describe() + " cannot list its experiments: name one, e.g. cinelab runs quickstart");
            }
            for (ExperimentInfo e : all) out.put(e.experimentId(), e.name());
            return out;
        }
        for (String name : experiments) {
            Optional<ExperimentInfo> e = tracker.findExperimentByName(name);
            if (e.isEmpty() || !e.get().isActive()) {
                String known;
                try {
                    known = tracker.listExperiments().stream().map(ExperimentInfo::name).sorted().collect(Collectors.joining(", "));
                } catch (UnsupportedOperationException cannotList) {
                    known = "(this store cannot list them)";
                }
                throw new Main.BadInputException("no " + (e.isPresent() ? "active " : "") + "experiment named '" + name + "' in "
                        + tracker.describe() + "; experiments: " + known);
            }
            out.put(e.get().experimentId(), name);
        }
        return out;
    }

    /** A column: {@code params.K}, {@code metrics.K}, {@code tags.K} or an attribute ({@code run_id}, {@code run_name}, {@code status}, {@code start_time}). */
    record Column(String kind, String key) {
        static Column parse(String text) {
            String t = text.strip();
            int dot = t.indexOf('.');
            String prefix = dot < 0 ? "" : t.substring(0, dot);
            return switch (prefix) {
                case "params", "param" -> new Column("params", t.substring(dot + 1));
                case "metrics", "metric" -> new Column("metrics", t.substring(dot + 1));
                case "tags", "tag" -> new Column("tags", t.substring(dot + 1));
                case "attributes", "attribute" -> attribute(t.substring(dot + 1), text);
                default -> attribute(t, text);
            };
        }

        private static Column attribute(String name, String text) {
            if (!Set.of("run_id", "run_name", "status", "start_time", "experiment").contains(name)) {
                throw new Main.BadInputException("--columns '" + text + "': expected params.KEY, metrics.KEY, tags.KEY or one of "
                        + "run_id, run_name, status, start_time, experiment");
            }
            return new Column("attributes", name);
        }

        String header() { return key; }

        String value(RunRecord r, Map<String, String> names) {
            return switch (kind) {
                case "params" -> r.params().get(key);
                case "tags" -> r.tags().get(key);
                case "metrics" -> r.metrics().containsKey(key) ? number(r.metrics().get(key)) : "";
                default -> switch (key) {
                    case "run_id" -> r.runId();
                    case "run_name" -> r.info().runName();
                    case "status" -> r.info().status().name();
                    case "start_time" -> TIME.format(Instant.ofEpochMilli(r.info().startTimeMs()));
                    default -> names.getOrDefault(r.info().experimentId(), r.info().experimentId());
                };
            };
        }
    }

    /**
     * Run id, experiment (when several), name, status, start; then the params and metrics the filter and
     * sort name, params whose values differ between the runs (not trial bookkeeping), and test, refit and
     * validation metrics before the rest.
     */
    private List<Column> defaultColumns(List<RunRecord> runs, RunFilter f, List<RunOrder> order, PrintWriter out) {
        Set<String> experimentIds = runs.stream().map(r -> r.info().experimentId()).collect(Collectors.toSet());
        List<Column> cols = new ArrayList<>(List.of(new Column("attributes", "run_id")));
        if (experimentIds.size() > 1) cols.add(new Column("attributes", "experiment"));
        cols.addAll(List.of(new Column("attributes", "run_name"), new Column("attributes", "status"), new Column("attributes", "start_time")));
        LinkedHashSet<String> params = new LinkedHashSet<>();
        LinkedHashSet<String> metrics = new LinkedHashSet<>();
        for (RunFilter.Clause c : f.clauses()) {
            if (c.entity() == RunFilter.Entity.PARAM) params.add(c.key());
            if (c.entity() == RunFilter.Entity.METRIC) metrics.add(c.key());
        }
        for (RunOrder o : order) {
            if (o.entity() == RunFilter.Entity.PARAM) params.add(o.key());
            if (o.entity() == RunFilter.Entity.METRIC) metrics.add(o.key());
        }
        TreeSet<String> allParams = new TreeSet<>();
        runs.forEach(r -> allParams.addAll(r.params().keySet()));
        for (String p : allParams) {
            if (params.size() >= DEFAULT_PARAM_COLUMNS) break;
            if (BOOKKEEPING.stream().anyMatch(p::startsWith)) continue;
            if (runs.stream().map(r -> String.valueOf(r.params().get(p))).distinct().count() > 1) params.add(p);
        }
        TreeSet<String> allMetrics = new TreeSet<>();
        runs.forEach(r -> allMetrics.addAll(r.metrics().keySet()));
        List<String> ranked = new ArrayList<>(allMetrics);
        ranked.sort(java.util.Comparator.comparingInt(RunsCommand::metricRank).thenComparing(k -> k));
        for (String m : ranked) {
            if (metrics.size() >= DEFAULT_METRIC_COLUMNS) break;
            metrics.add(m);
        }
        params.forEach(p -> cols.add(new Column("params", p)));
        metrics.forEach(m -> cols.add(new Column("metrics", m)));
        int hiddenMetrics = allMetrics.size() - (int) metrics.stream().filter(allMetrics::contains).count();
        if (hiddenMetrics > 0) out.printf("(%d more metric(s) not shown: choose with --columns, or --csv for all)%n", hiddenMetrics);
        return cols;
    }

    private static int metricRank(String key) {
        if (key.startsWith("best_test_") || key.startsWith("test_")) return 0;
        if (key.startsWith("refit_test_")) return 1;
        if (key.startsWith("best_val_") || key.startsWith("val_")) return 2;
        return 3;
    }

    private static String table(List<RunRecord> runs, Map<String, String> names, List<Column> cols) {
        TextTable t = new TextTable(cols.stream().map(Column::header).toList());
        for (RunRecord r : runs) t.add(cols.stream().map(c -> c.value(r, names)).toList());
        return t.render();
    }

    private static final List<String> PROVENANCE = List.of("cinelab.seed", "cinelab.trial_id", "mlflow.parentRunId", "cinelab.spec_sha256",
            "mlflow.source.git.commit", "cinelab.dataset_sha256", "cinelab.split_id");

    /** Every param, metric and the provenance tags, one run per line. */
    static String csv(List<RunRecord> runs, Map<String, String> names) {
        TreeSet<String> params = new TreeSet<>();
        TreeSet<String> metrics = new TreeSet<>();
        for (RunRecord r : runs) {
            params.addAll(r.params().keySet());
            metrics.addAll(r.metrics().keySet());
        }
        List<String> header = new ArrayList<>(List.of("run_id", "experiment_id", "experiment", "run_name", "status", "start_time", "end_time"));
        PROVENANCE.forEach(t -> header.add("tags." + t));
        params.forEach(p -> header.add("params." + p));
        metrics.forEach(m -> header.add("metrics." + m));
        StringBuilder sb = new StringBuilder(header.stream().map(RunsCommand::csvCell).collect(Collectors.joining(","))).append('\n');
        for (RunRecord r : runs) {
            List<String> row = new ArrayList<>(List.of(r.runId(), r.info().experimentId(), names.getOrDefault(r.info().experimentId(), ""),
                    nullToEmpty(r.info().runName()), r.info().status().name(), Long.toString(r.info().startTimeMs()),
                    r.info().endTimeMs() == null ? "" : Long.toString(r.info().endTimeMs())));
            PROVENANCE.forEach(t -> row.add(nullToEmpty(r.tags().get(t))));
            params.forEach(p -> row.add(nullToEmpty(r.params().get(p))));
            metrics.forEach(m -> row.add(r.metrics().containsKey(m) ? Double.toString(r.metrics().get(m)) : ""));
            sb.append(row.stream().map(RunsCommand::csvCell).collect(Collectors.joining(","))).append('\n');
        }
        return sb.toString();
    }

    private static String nullToEmpty(String s) { return s == null ? "" : s; }

    static String csvCell(String v) {
        return v.contains(",") || v.contains("\"") || v.contains("\n") || v.contains("\r") ? '"' + v.replace("\"", "\"\"") + '"' : v;
    }

    /** Four decimals, or four significant digits for very large or small values. */
    static String number(double v) {
        if (Double.isNaN(v) || Double.isInfinite(v)) return Double.toString(v);
        double a = Math.abs(v);
        if (a != 0 && (a < 1e-3 || a >= 1e5)) return String.format(Locale.ROOT, "%.4g", v);
        return String.format(Locale.ROOT, "%.4f", v);
    }
}
