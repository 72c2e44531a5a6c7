package org.cinelab.report;

import org.yaml.snakeyaml.nodes.Node;
import org.yaml.snakeyaml.nodes.ScalarNode;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * What one study table shows, read from {@code experiments/reports/<name>.yaml}: rows of (experiment,
 * metric, published number), the seeds each row is averaged over, and optional plots. {@code cinelab
 * report} fills it from the tracking store and writes {@code results/<name>.md}. The format is
 * documented in {@code experiments/reports/README.md}.
 */
public record ReportDefinition(String name, String title, String intro, List<Integer> seeds, List<Row> rows,
                               List<Plot> plots, String notes) {

    /** Lower or higher values are better. */
    public enum Direction { LOWER, HIGHER }

    /** Which run of an execution holds the metric: the parent, or a child picked by params. */
    public enum RunKind { PARENT, CHILD }

    /**
     * One line of the study: an experiment (its MLflow name, = the spec's {@code experiment.name}), the
     * spec that regenerates it, and the metrics compared with the paper.
     *
     * @param args extra arguments for {@code cinelab run}, e.g. {@code --parallel 2}
     */
    public record Row(String label, String experiment, String spec, String args, List<Integer> seeds,
                      List<Metric> metrics, String protocol, String flag, Map<String, DataParam> data) {

        /** The shell command that regenerates this row for every seed. */
        public String command() {
            return runCommand(seeds, spec, args);
        }
    }

    /** {@code for N in SEEDS; do ./cinelab run SPEC --seed $N ARGS; done}: what regenerates a row or a figure. */
    static String runCommand(List<Integer> seeds, String spec, String args) {
        StringBuilder sb = new StringBuilder("for N in");
        seeds.forEach(s -> sb.append(' ').append(s));
        sb.append("; do ./cinelab run ").append(spec).append(" --seed $N");
        if (args != null && !args.isBlank()) sb.append(' ').append(args.strip());
        return sb.append("; done").toString();
    }

    /**
     * @param where      for {@code run: child}, params the child run must have (e.g. loss weights); when
     *                   several children match, the one with the best validation objective is used
     * @param paper      the published number, or null
     * @param paperKey   the key under the spec's {@code paper:} section to take the published number from
     *                   (read from the parent run's {@code spec.yaml} artifact), or null
     * @param reference  a number of ours or from elsewhere to compare with (a re-run, a tutorial, a quality bar), or null:
     *                   shown in its own column, never as the study's
     */
    public record Metric(String label, String metric, RunKind run, Map<String, String> where, Double paper,
                         String paperKey, Reference reference, Direction direction, int digits) {}

    /** A reference number and where it comes from, e.g. 0.973, "our PyTorch re-run of the course code". */
    public record Reference(double value, String source) {}

    /**
     * A param of the row's runs to state in the notes (e.g. {@code dataset.items} as "movies"), and the
     * study's value when it differs from what a run may have used (then the note says the run used other data).
     */
    public record DataParam(String label, Double study) {}

    /** What a plot shows: a child metric against a child param ({@code points}), or searches' progress. */
    public enum PlotKind { POINTS, BEST_VS_EPOCHS }

    /** One search compared in a {@code best_vs_epochs} plot: an experiment, the spec that runs it and extra run arguments (or null). */
    public record Search(String label, String experiment, String spec, String args) {}

    /**
     * A chart written as {@code file} beside the Markdown. {@code points} (the default): a child-run
     * metric {@code y} against a child-run param {@code x} across an experiment's trials, one series per
     * seed (e.g. S3's test loss vs learning rate). {@code best_vs_epochs}: for each of {@code searches}, the
     * best validation objective so far against the epochs trained so far, one line per search, from one
     * seed's execution ({@code seed}, or the report's first seed).
     *
     * @param args      points only: extra arguments for {@code cinelab run} (e.g. {@code --data-dir ...}), or null
     * @param objective best_vs_epochs only: the metric without {@code val_}, or null for the parent's objective
     */
    public record Plot(String file, String title, String experiment, String spec, String args, String x, String y, boolean logX,
                       boolean lines, PlotKind kind, List<Search> searches, String objective, Integer seed) {

        /** The shell command that regenerates a points figure for {@code seeds}. */
        public String command(List<Integer> seeds) {
            return runCommand(seeds, spec, args);
        }
    }

    private static final List<String> TOP = List.of("title", "intro", "seeds", "rows", "plots", "notes");
    private static final List<String> ROW = List.of("label", "experiment", "spec", "args", "seeds", "metrics",
            "metric", "paper", "reference", "direction", "protocol", "flag", "data");
    private static final List<String> METRIC = List.of("label", "metric", "run", "where", "paper", "reference", "direction", "digits");
    private static final List<String> PLOT = List.of("file", "title", "kind", "experiment", "spec", "args", "x", "y", "log_x", "lines",
            "experiments", "objective", "seed");
    private static final List<String> POINTS_ONLY = List.of("experiment", "spec", "args", "x", "y", "log_x", "lines");
    private static final List<String> SEARCH_ONLY = List.of("experiments", "objective", "seed");
    private static final List<String> SEARCH = List.of("label", "experiment", "spec", "args");

    /** Reads {@code file}; its name without {@code .yaml} names the report. */
    public static ReportDefinition load(Path file) throws IOException {
        String fileName = file.getFileName().toString();
        String name = fileName.replaceFirst("\\.ya?ml$", "");
        ReportYaml y = new ReportYaml(file);
        Node root = y.parse(Files.readString(file, StandardCharsets.UTF_8));
        Map<String, Node> top = y.map(root, "", TOP);
        String title = y.string(top, root, "title", "", true);
        List<Integer> seeds = top.containsKey("seeds") ? y.integers(top.get("seeds"), "seeds") : List.of(1, 2, 3);
        if (!top.containsKey("rows")) throw y.error(root, "rows", "required key missing");
        List<Row> rows = new ArrayList<>();
        List<Node> rowNodes = y.list(top.get("rows"), "rows");
        for (int i = 0; i < rowNodes.size(); i++) rows.add(row(y, rowNodes.get(i), "rows[" + i + "]", seeds));
        List<Plot> plots = new ArrayList<>();
        if (top.containsKey("plots")) {
            List<Node> plotNodes = y.list(top.get("plots"), "plots");
            for (int i = 0; i < plotNodes.size(); i++) plots.add(plot(y, plotNodes.get(i), "plots[" + i + "]"));
        }
        return new ReportDefinition(name, title, y.string(top, root, "intro", "", false), seeds, List.copyOf(rows),
                List.copyOf(plots), y.string(top, root, "notes", "", false));
    }

    private static Row row(ReportYaml y, Node node, String field, List<Integer> defaultSeeds) {
        Map<String, Node> m = y.map(node, field, ROW);
        List<Metric> metrics = new ArrayList<>();
        if (m.containsKey("metrics")) {
            if (m.containsKey("metric")) throw y.error(m.get("metric"), field + ".metric", "give either metric or metrics, not both");
            List<Node> items = y.list(m.get("metrics"), field + ".metrics");
            for (int i = 0; i < items.size(); i++) metrics.add(metric(y, items.get(i), field + ".metrics[" + i + "]"));
            if (metrics.isEmpty()) throw y.error(m.get("metrics"), field + ".metrics", "expected at least one metric");
        } else {
            // shorthand: metric, paper and direction on the row itself
            Map<String, Node> shorthand = new java.util.LinkedHashMap<>();
            for (String k : List.of("metric", "paper", "reference", "direction")) if (m.containsKey(k)) shorthand.put(k, m.get(k));
            if (!shorthand.containsKey("metric")) throw y.error(node, field + ".metric", "required key missing (or give metrics: [...])");
            metrics.add(metric(y, node, shorthand, field));
        }
        List<Integer> seeds = m.containsKey("seeds") ? y.integers(m.get("seeds"), field + ".seeds") : defaultSeeds;
        Map<String, DataParam> data = new java.util.LinkedHashMap<>();
        if (m.containsKey("data")) {
            Map<String, Node> params = y.map(m.get("data"), field + ".data", null);
            for (Map.Entry<String, Node> e : params.entrySet()) {
                String f = field + ".data." + e.getKey();
                Map<String, Node> d = y.map(e.getValue(), f, List.of("label", "study"));
                data.put(e.getKey(), new DataParam(y.string(d, e.getValue(), "label", f, true),
                        d.containsKey("study") ? y.number(d.get("study"), f + ".study") : null));
            }
        }
        return new Row(y.string(m, node, "label", field, true), y.string(m, node, "experiment", field, true),
                y.string(m, node, "spec", field, true), y.string(m, node, "args", field, false), seeds,
                List.copyOf(metrics), y.string(m, node, "protocol", field, false), y.string(m, node, "flag", field, false),
                java.util.Collections.unmodifiableMap(data));
    }

    private static Metric metric(ReportYaml y, Node node, String field) {
        return metric(y, node, y.map(node, field, METRIC), field);
    }

    private static Metric metric(ReportYaml y, Node node, Map<String, Node> m, String field) {
        String metric = y.string(m, node, "metric", field, true);
        String runText = y.string(m, node, "run", field, false);
        RunKind run = RunKind.PARENT;
        if (runText != null) {
            try {
                run = RunKind.valueOf(runText.toUpperCase(java.util.Locale.ROOT));
            } catch (IllegalArgumentException e) {
                throw y.error(m.get("run"), field + ".run", "'" + runText + "', expected parent or child");
            }
        }
        Map<String, String> where = m.containsKey("where") ? y.scalars(m.get("where"), field + ".where") : Map.of();
        if (!where.isEmpty() && run != RunKind.CHILD) throw y.error(m.get("where"), field + ".where", "only applies with run: child");
        Double paper = null;
        String paperKey = null;
        Node p = m.get("paper");
        if (p != null && !ReportYaml.isNull(p)) {
            if (p instanceof ScalarNode s && s.getValue().startsWith("spec:")) paperKey = s.getValue().substring("spec:".length()).strip();
            else paper = y.number(p, field + ".paper");
        }
        Reference reference = null;
        Node r = m.get("reference");
        if (r != null && !ReportYaml.isNull(r)) {
            if (r instanceof ScalarNode) {
                reference = new Reference(y.number(r, field + ".reference"), null);
            } else {
                Map<String, Node> rm = y.map(r, field + ".reference", List.of("value", "source"));
                if (!rm.containsKey("value")) throw y.error(r, field + ".reference.value", "required key missing");
                reference = new Reference(y.number(rm.get("value"), field + ".reference.value"), y.string(rm, r, "source", field + ".reference", false));
            }
        }
        String dir = y.string(m, node, "direction", field, true);
        Direction direction = switch (dir) {
            case "lower" -> Direction.LOWER;
            case "higher" -> Direction.HIGHER;
            default -> throw y.error(m.get("direction"), field + ".direction", "'" + dir + "', expected lower or higher (which is better)");
        };
        int digits = 4;
        if (m.containsKey("digits")) {
            double d = y.number(m.get("digits"), field + ".digits");
            if (d < 0 || d > 10 || d != Math.rint(d)) throw y.error(m.get("digits"), field + ".digits", "expected a whole number 0..10");
            digits = (int) d;
        }
        String label = y.string(m, node, "label", field, false);
        return new Metric(label == null ? metric : label, metric, run, Map.copyOf(where), paper, paperKey, reference, direction, digits);
    }

    private static Plot plot(ReportYaml y, Node node, String field) {
        Map<String, Node> m = y.map(node, field, PLOT);
        String file = y.string(m, node, "file", field, true);
        if (!file.endsWith(".png") || file.contains("/") || file.contains("\\")) {
            throw y.error(m.get("file"), field + ".file", "'" + file + "', expected a file name ending in .png (written beside the report)");
        }
        String kindText = y.string(m, node, "kind", field, false);
        PlotKind kind = switch (kindText == null ? "points" : kindText) {
            case "points" -> PlotKind.POINTS;
            case "best_vs_epochs" -> PlotKind.BEST_VS_EPOCHS;
            default -> throw y.error(m.get("kind"), field + ".kind", "'" + kindText + "', expected points or best_vs_epochs");
        };
        String title = y.string(m, node, "title", field, true);
        List<String> foreign = kind == PlotKind.POINTS ? SEARCH_ONLY : POINTS_ONLY;
        for (String key : foreign) {
            if (m.containsKey(key)) throw y.error(m.get(key), ReportYaml.qualify(field, key), "not used by kind " + kind.name().toLowerCase(java.util.Locale.ROOT));
        }
        if (kind == PlotKind.POINTS) {
            return new Plot(file, title, y.string(m, node, "experiment", field, true),
                    y.string(m, node, "spec", field, true), y.string(m, node, "args", field, false),
                    y.string(m, node, "x", field, true), y.string(m, node, "y", field, true),
                    y.bool(m, "log_x", field, false), y.bool(m, "lines", field, true), kind, List.of(), null, null);
        }
        if (!m.containsKey("experiments")) throw y.error(node, field + ".experiments", "required key missing (the searches to compare)");
        List<Node> items = y.list(m.get("experiments"), field + ".experiments");
        if (items.isEmpty()) throw y.error(m.get("experiments"), field + ".experiments", "expected at least one experiment");
        List<Search> searches = new ArrayList<>();
        for (int i = 0; i < items.size(); i++) {
            String f = field + ".experiments[" + i + "]";
            Map<String, Node> s = y.map(items.get(i), f, SEARCH);
            String experiment = y.string(s, items.get(i), "experiment", f, true);
            String label = y.string(s, items.get(i), "label", f, false);
            searches.add(new Search(label == null ? experiment : label, experiment, y.string(s, items.get(i), "spec", f, true),
                    y.string(s, items.get(i), "args", f, false)));
        }
        Integer seed = null;
        if (m.containsKey("seed")) {
            double d = y.number(m.get("seed"), field + ".seed");
            if (d != Math.rint(d)) throw y.error(m.get("seed"), field + ".seed", "expected a whole number");
            seed = (int) d;
        }
        return new Plot(file, title, null, null, null, null, null, false, true, kind, List.copyOf(searches),
                y.string(m, node, "objective", field, false), seed);
    }
}
