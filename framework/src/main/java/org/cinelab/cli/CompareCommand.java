package org.cinelab.cli;

import org.cinelab.tracking.MetricPoint;
import org.cinelab.tracking.RunInfo;
import org.cinelab.tracking.RunSearch;
import org.cinelab.tracking.Tracker;
import org.cinelab.tracking.factory.TrackerFactory;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

import java.io.IOException;
import java.io.PrintWriter;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;
import java.util.concurrent.Callable;

/**
 * {@code cinelab compare RUN RUN...}: runs side by side from a file store or a server: the params that
 * differ first, then the provenance that differs (spec, commit, data, seed), then every metric with its
 * final value and the range over its steps.
 */
@Command(name = "compare", description = "Compare runs side by side: differing params, provenance, then metrics with final values.")
final class CompareCommand implements Callable<Integer> {
    static final List<String> PROVENANCE = List.of("cinelab.spec_sha256", "mlflow.source.git.commit", "mlflow.source.git.dirty",
            "cinelab.seed", "cinelab.dataset_sha256", "cinelab.split_id", "cinelab.version", "cinelab.java_version",
            "cinelab.dl4j_version", "cinelab.nd4j_version", "cinelab.omp_num_threads", "cinelab.openblas_coretype",
            "cinelab.parallel_trials");

    @picocli.CommandLine.Spec
    picocli.CommandLine.Model.CommandSpec commandSpec;

    @Parameters(paramLabel = "RUN", arity = "2..*", description = "Run ids (as printed by cinelab runs).")
    List<String> runIds = new ArrayList<>();

    @Option(names = "--all", description = "Also list the params and provenance tags that are equal.")
    boolean all;

    @Option(names = "--tracking-uri", paramLabel = "URI",
            description = "MLflow store: a directory, file: URI or http(s):// server (default: MLFLOW_TRACKING_URI, then ./mlruns).")
    String trackingUri;

    private record Loaded(String label, RunInfo info, Map<String, String> params, Map<String, String> tags, List<String> metricKeys) {}

    @Override
    public Integer call() throws Exception {
        PrintWriter out = commandSpec.commandLine().getOut();
        try (Tracker tracker = TrackerFactory.open(trackingUri)) {
            List<Loaded> runs = new ArrayList<>();
            for (int i = 0; i < runIds.size(); i++) {
                String id = runIds.get(i).strip();
                RunInfo info = tracker.getRun(id).orElseThrow(() -> new Main.BadInputException("no run '" + id + "' in " + tracker.describe()
                        + " (list run ids with: cinelab runs EXPERIMENT)"));
                runs.add(new Loaded(label(i), info, tracker.getParams(id), tracker.getTags(id), tracker.getMetricKeys(id)));
            }
            out.print(render(tracker, runs, all));
        }
        out.flush();
        return 0;
    }

    private static String label(int i) { return i < 26 ? String.valueOf((char) ('A' + i)) : "R" + (i + 1); }

    private static String render(Tracker tracker, List<Loaded> runs, boolean all) throws IOException {
        StringBuilder sb = new StringBuilder();
        Map<String, String> names = new java.util.HashMap<>();
        try {
            tracker.listExperiments().forEach(e -> names.put(e.experimentId(), e.name()));
        } catch (UnsupportedOperationException cannotList) {
            // experiment ids are shown instead
        }
        TextTable header = new TextTable(List.of("", "run id", "experiment", "name", "status"));
        for (Loaded r : runs) {
            header.add(List.of(r.label(), r.info().runId(), names.getOrDefault(r.info().experimentId(), r.info().experimentId()),
                    String.valueOf(r.info().runName()), r.info().status().name()));
        }
        sb.append(header.render());

        TreeSet<String> paramKeys = new TreeSet<>();
        runs.forEach(r -> paramKeys.addAll(r.params().keySet()));
        sb.append(section("Params", paramKeys, runs, Loaded::params, all));

        sb.append(section("Provenance (tags)", new java.util.LinkedHashSet<>(PROVENANCE), runs, Loaded::tags, all));

        TreeSet<String> metricKeys = new TreeSet<>();
        runs.forEach(r -> metricKeys.addAll(r.metricKeys()));
        sb.append("\nMetrics: final value, and [min..max over N steps] when logged per step\n");
        List<String> cols = new ArrayList<>(List.of("metric"));
        runs.forEach(r -> cols.add(r.label()));
        TextTable metrics = new TextTable(cols);
        for (String key : metricKeys) {
            List<String> row = new ArrayList<>(List.of(key));
            for (Loaded r : runs) row.add(r.metricKeys().contains(key) ? describe(tracker.getMetricHistory(r.info().runId(), key)) : "—");
            metrics.add(row);
        }
        sb.append(metrics.isEmpty() ? "(no metrics)\n" : metrics.render());
        return sb.toString();
    }

    private static String section(String title, java.util.Set<String> keys, List<Loaded> runs,
                                  java.util.function.Function<Loaded, Map<String, String>> values, boolean all) {
        List<String> cols = new ArrayList<>(List.of("key"));
        runs.forEach(r -> cols.add(r.label()));
        TextTable differing = new TextTable(cols);
        TextTable equal = new TextTable(cols);
        for (String key : keys) {
            List<String> row = new ArrayList<>(List.of(key));
            runs.forEach(r -> row.add(values.apply(r).getOrDefault(key, "—")));
            boolean same = runs.stream().map(r -> values.apply(r).get(key)).distinct().count() == 1;
            if (same && runs.stream().allMatch(r -> values.apply(r).get(key) == null)) continue;
            (same ? equal : differing).add(row);
        }
        int equalCount = (int) keys.stream().filter(k -> runs.stream().map(r -> values.apply(r).get(k)).distinct().count() == 1
                && runs.stream().anyMatch(r -> values.apply(r).get(k) != null)).count();
        StringBuilder sb = new StringBuilder("\n").append(title).append(" that differ");
        sb.append(equalCount == 0 ? "" : " (" + equalCount + " equal" + (all ? ", listed below" : "; --all lists them") + ")").append('\n');
        sb.append(differing.isEmpty() ? "(none)\n" : differing.render());
        if (all && !equal.isEmpty()) sb.append('\n').append(title).append(" that are equal\n").append(equal.render());
        return sb.toString();
    }

    /** The final value (MLflow's latest), plus the range when the metric has several points. */
    static String describe(List<MetricPoint> history) {
        if (history.isEmpty()) return "—";
        double last = RunSearch.latest(history).orElseThrow();
        if (history.size() == 1) return RunsCommand.number(last);
        double min = history.stream().mapToDouble(MetricPoint::value).filter(v -> !Double.isNaN(v)).min().orElse(Double.NaN);
        double max = history.stream().mapToDouble(MetricPoint::value).filter(v -> !Double.isNaN(v)).max().orElse(Double.NaN);
        return RunsCommand.number(last) + " [" + RunsCommand.number(min) + ".." + RunsCommand.number(max) + " over " + history.size() + " steps]";
    }
}
