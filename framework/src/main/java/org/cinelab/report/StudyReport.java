package org.cinelab.report;

import org.cinelab.search.Objective;
import org.cinelab.charts.Charts;
import org.cinelab.report.ReportDefinition.DataParam;
import org.cinelab.report.ReportDefinition.Metric;
import org.cinelab.report.ReportDefinition.Plot;
import org.cinelab.report.ReportDefinition.Row;
import org.cinelab.tracking.Tracker;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.function.Consumer;
import java.util.stream.Collectors;

/**
 * A study table and its figures, computed from the report's {@link RunLedger} only: for every row and
 * metric the value of each seed's run, their mean and sample standard deviation, the difference from the
 * study's number, and the spec and commit the runs came from. {@link #write} first records the runs from a
 * tracking store in {@code <out>/runs/<name>.jsonl}, then writes {@code <out>/<name>.md} and the figures from
 * that file; {@link ReportCheck} recomputes the page from the committed file alone.
 */
public final class StudyReport {

    /** One metric of one row over the seeds; {@code values} holds the seeds that have a value. */
    public record Cell(Metric metric, Double paper, Map<Integer, Double> values, Map<Integer, String> runIds) {
        public int n() { return values.size(); }

        public double mean() {
            return values.values().stream().mapToDouble(Double::doubleValue).average().orElse(Double.NaN);
        }

        /** Sample standard deviation (n - 1); NaN for fewer than two seeds. */
        public double sd() {
            if (n() < 2) return Double.NaN;
            double m = mean();
            double ss = values.values().stream().mapToDouble(v -> (v - m) * (v - m)).sum();
            return Math.sqrt(ss / (n() - 1));
        }

        /** Ours minus the paper's; NaN when either is missing. */
        public double difference() { return paper == null || n() == 0 ? Double.NaN : mean() - paper; }
    }

    /**
     * A row with its cells and the parent run used for each seed; {@code unavailable} when its runs are
     * gone and only an earlier, unverifiable table had numbers.
     */
    public record RowResult(Row row, List<Cell> cells, Map<Integer, LedgerRun> parents, UnavailableRuns unavailable, String dataNote) {
        public boolean notRun() { return parents.isEmpty() && unavailable == null; }

        public boolean runsUnavailable() { return parents.isEmpty() && unavailable != null; }

        public Map<Integer, String> parentRunIds() {
            Map<Integer, String> out = new LinkedHashMap<>();
            parents.forEach((seed, run) -> out.put(seed, run.runId()));
            return out;
        }
    }

    /** A value a figure shows that a table (or the parent run a table reads) also holds: they must be equal. */
    public record Agreement(String figure, String what, double figureValue, double tableValue) {
        public boolean holds() { return Double.compare(figureValue, tableValue) == 0; }
    }

    /**
     * A figure's series (name -> points {x, y}), empty when nothing was run; {@code marked} are the series
     * drawn over the others (the trial a table reports).
     */
    public record PlotResult(Plot plot, Map<String, double[][]> series, Map<String, double[][]> marked, List<Integer> seeds,
                             UnavailableRuns unavailable, List<Agreement> agreements) {
        public boolean empty() { return series.values().stream().allMatch(s -> s.length == 0); }
    }

    /** Rows and figures computed from a ledger. */
    public record Computed(ReportDefinition definition, RunLedger ledger, List<RowResult> rows, List<PlotResult> plots) {
        public List<Agreement> disagreements() {
            return plots.stream().flatMap(p -> p.agreements().stream()).filter(a -> !a.holds()).toList();
        }
    }

    public record Result(Computed computed, Path markdown, Path ledger) {}

    private StudyReport() {}

    /**
     * Records the runs of the tracking store (seeds the store lacks keep the committed ledger's runs) in
     * {@code <outDir>/runs/<name>.jsonl}, then writes the Markdown and figures computed from that ledger.
     */
    public static Result write(ReportDefinition def, Tracker tracker, Path outDir, Consumer<String> notices) throws IOException {
        Path ledgerFile = RunLedger.fileFor(outDir, def.name());
        RunLedger committed = RunLedger.read(ledgerFile);
        RunLedger ledger = new LedgerBuilder(def, new StoreReader(tracker), committed, notices).build();
        ledger.write(ledgerFile);
        Computed c = compute(def, ledger);
        Files.createDirectories(outDir);
        for (PlotResult p : c.plots()) drawFigure(p, outDir.resolve(p.plot().file()));
        Path md = outDir.resolve(def.name() + ".md");
        Files.writeString(md, ReportMarkdown.render(c), StandardCharsets.UTF_8);
        return new Result(c, md, ledgerFile);
    }

    /** Everything the page shows, from the ledger alone. */
    public static Computed compute(ReportDefinition def, RunLedger ledger) {
        List<RowResult> rows = new ArrayList<>();
        for (Row row : def.rows()) rows.add(row(ledger, row));
        List<PlotResult> plots = new ArrayList<>();
        for (Plot plot : def.plots()) {
            plots.add(plot.kind() == ReportDefinition.PlotKind.BEST_VS_EPOCHS ? SearchProgress.plot(ledger, plot, def.seeds())
                    : points(ledger, plot, def.seeds()));
        }
        return new Computed(def, ledger, rows, plots);
    }

    private static void drawFigure(PlotResult p, Path png) throws IOException {
        if (p.empty()) {
            Files.deleteIfExists(png); // a figure whose runs are gone or not run is not kept beside the page
            return;
        }
        Plot plot = p.plot();
        if (plot.kind() == ReportDefinition.PlotKind.BEST_VS_EPOCHS) {
            Map<String, double[][]> drawn = new LinkedHashMap<>(p.series());
            drawn.values().removeIf(points -> points.length == 0);
            String objective = plot.objective() != null ? plot.objective() : "objective";
            Charts.lines(plot.title(), "epochs trained (all trials)", "val_" + objective + " of the best trial so far", drawn, png);
        } else {
            Charts.points(plot.title(), plot.x(), plot.y(), p.series(), p.marked(), plot.logX(), plot.lines(), png);
        }
    }

    static RowResult row(RunLedger ledger, Row row) {
        String use = LedgerRun.rowUse(row.label());
        Map<Integer, LedgerRun> parents = new LinkedHashMap<>();
        ledger.parents(use, row.experiment()).forEach((seed, run) -> { if (row.seeds().contains(seed)) parents.put(seed, run); });
        List<Cell> cells = new ArrayList<>();
        for (Metric metric : row.metrics()) {
            Map<Integer, Double> values = new LinkedHashMap<>();
            Map<Integer, String> runIds = new LinkedHashMap<>();
            Double paper = metric.paper();
            for (Map.Entry<Integer, LedgerRun> e : parents.entrySet()) {
                LedgerRun parent = e.getValue();
                if (paper == null && metric.paperKey() != null) paper = parent.paper().get(metric.paperKey());
                LedgerRun source = metric.run() == ReportDefinition.RunKind.PARENT ? parent
                        : child(ledger.children(use, parent.runId()), metric.where(), parent);
                if (source == null) continue;
                Double v = source.metrics().get(metric.metric());
                if (v == null || v.isNaN()) continue;
                values.put(e.getKey(), v);
                runIds.put(e.getKey(), source.runId());
            }
            cells.add(new Cell(metric, paper, values, runIds));
        }
        UnavailableRuns gone = parents.isEmpty() ? ledger.unavailable(use).orElse(null) : null;
        return new RowResult(row, cells, parents, gone, dataNote(row, parents));
    }

    /**
     * The child whose params match {@code where}; of several, the one with the best validation objective
     * (the parent's {@code objective.metric} and {@code objective.mode}), never the best test value.
     */
    static LedgerRun child(List<LedgerRun> children, Map<String, String> where, LedgerRun parent) {
        List<LedgerRun> matching = children.stream()
                .filter(c -> where.entrySet().stream().allMatch(w -> StoreReader.sameValue(c.params().get(w.getKey()), w.getValue()))).toList();
        if (matching.size() <= 1) return matching.isEmpty() ? null : matching.get(0);
        String objective = parent.params().get("objective.metric");
        Objective ranking = new Objective(objective, "max".equals(parent.params().get("objective.mode"))
                ? Objective.Mode.MAX : Objective.Mode.MIN);
        LedgerRun best = null;
        double bestValue = Double.NaN;
        for (LedgerRun c : matching) {
            Double v = objective == null ? null : c.metrics().get("val_" + objective);
            if (v == null || Double.isNaN(v)) continue;
            if (best == null || ranking.isBetter(v, bestValue)) {
                best = c;
                bestValue = v;
            }
        }
        return best != null ? best : matching.get(0);
    }

    /** "Data of these runs: 10 movies (the study: 2,000), 10,833 ratings." from the row's {@code data} params. */
    static String dataNote(Row row, Map<Integer, LedgerRun> parents) {
        if (row.data().isEmpty() || parents.isEmpty()) return "";
        List<String> parts = new ArrayList<>();
        boolean smaller = false;
        for (Map.Entry<String, DataParam> d : row.data().entrySet()) {
            Set<String> values = new LinkedHashSet<>();
            for (LedgerRun p : parents.values()) values.add(p.params().getOrDefault(d.getKey(), "?"));
            String shown = values.stream().map(StudyReport::grouped).collect(Collectors.joining(" / "));
            String part = shown + " " + d.getValue().label();
            Double study = d.getValue().study();
            if (study != null) {
                boolean differs = values.stream().anyMatch(v -> !StoreReader.sameValue(v, Double.toString(study)));
                if (differs) {
                    part += " (the study: " + grouped(ReportMarkdown.plain(study)) + ")";
                    smaller |= values.stream().anyMatch(v -> lessThan(v, study));
                }
            }
            parts.add(part);
        }
        return (smaller ? "⚠ Ran on less data than the study: " : "Data of these runs: ") + String.join(", ", parts)
                + " (params " + String.join(", ", row.data().keySet()) + " of the runs).";
    }

    private static boolean lessThan(String v, double study) {
        try {
            return Double.parseDouble(v) < study;
        } catch (NumberFormatException e) {
            return false;
        }
    }

    /** 10833 -> 10,833; other text unchanged. */
    static String grouped(String v) {
        try {
            double d = Double.parseDouble(v);
            if (d == Math.rint(d) && Math.abs(d) < 1e15) return String.format(Locale.ROOT, "%,d", (long) d);
        } catch (NumberFormatException notANumber) {
            // shown as logged
        }
        return v;
    }

    /**
     * A {@code points} figure: for each seed's execution, the plot's metric of every finished trial against
     * its param; the trial the parent reports (its best by validation) is marked, and its value must equal the
     * parent's {@code best_<y>}, the number a table shows.
     */
    static PlotResult points(RunLedger ledger, Plot plot, List<Integer> seeds) {
        String use = LedgerRun.plotUse(plot.file());
        Map<String, double[][]> series = new LinkedHashMap<>();
        Map<String, double[][]> marked = new LinkedHashMap<>();
        List<Agreement> agreements = new ArrayList<>();
        List<Integer> used = new ArrayList<>();
        for (Map.Entry<Integer, LedgerRun> e : ledger.parents(use, plot.experiment()).entrySet()) {
            if (!seeds.contains(e.getKey())) continue;
            LedgerRun parent = e.getValue();
            List<double[]> points = new ArrayList<>();
            double[] chosen = null;
            for (LedgerRun child : ledger.children(use, parent.runId())) {
                double[] point = point(child, plot);
                if (point == null) continue;
                points.add(point);
                if (child.runId().equals(parent.bestRunId())) chosen = point;
            }
            points.sort((a, b) -> Double.compare(a[0], b[0]));
            series.put("seed " + e.getKey(), points.toArray(new double[0][]));
            if (!points.isEmpty()) used.add(e.getKey());
            Double tableValue = parent.metrics().get("best_" + plot.y());
            if (chosen != null) {
                marked.put("seed " + e.getKey() + ": the reported trial", new double[][] {chosen});
                if (tableValue != null && (plot.y().startsWith("test_") || plot.y().startsWith("val_"))) {
                    agreements.add(new Agreement(plot.file(), "seed " + e.getKey() + ": marked trial's " + plot.y() + " vs the parent run's best_"
                            + plot.y(), chosen[1], tableValue));
                }
            }
        }
        UnavailableRuns gone = series.isEmpty() ? ledger.unavailable(use).orElse(null) : null;
        return new PlotResult(plot, series, marked, used, gone, agreements);
    }

    private static double[] point(LedgerRun child, Plot plot) {
        String x = child.params().get(plot.x());
        Double y = child.metrics().get(plot.y());
        if (x == null || y == null || !Double.isFinite(y)) return null;
        double xv;
        try {
            xv = Double.parseDouble(x);
        } catch (NumberFormatException notNumeric) {
            return null;
        }
        if (plot.logX() && xv <= 0) return null;
        return new double[] {xv, y};
    }
}
