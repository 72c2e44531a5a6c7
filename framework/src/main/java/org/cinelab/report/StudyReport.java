package org.cinelab.report;

import org.cinelab.charts.Charts;
import org.cinelab.report.ReportDefinition.Metric;
import org.cinelab.report.ReportDefinition.Plot;
import org.cinelab.report.ReportDefinition.Row;
import org.cinelab.tracking.RunInfo;
import org.cinelab.tracking.Tracker;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Fills a {@link ReportDefinition} from a tracking store: for every row and metric, the value of each
 * seed's latest finished execution, their mean and sample standard deviation, and the difference
 * from the published number; then writes {@code <out>/<name>.md} and the plots beside it.
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

    /** A row with its cells, and the parent run used for each seed. */
    public record RowResult(Row row, List<Cell> cells, Map<Integer, String> parentRunIds) {
        public boolean notRun() { return parentRunIds.isEmpty(); }
    }

    /** A plot's series (seed -> points {x, y}), empty when nothing was run. */
    public record PlotResult(Plot plot, Map<String, double[][]> series, List<Integer> seeds) {
        public boolean empty() { return series.values().stream().allMatch(s -> s.length == 0); }
    }

    public record Result(ReportDefinition definition, List<RowResult> rows, List<PlotResult> plots, Path markdown) {}

    private StudyReport() {}

    /** Computes the report and writes {@code <outDir>/<name>.md} plus its plots. */
    public static Result write(ReportDefinition def, Tracker tracker, Path outDir) throws IOException {
        StoreReader store = new StoreReader(tracker);
        List<RowResult> rows = new ArrayList<>();
        for (Row row : def.rows()) rows.add(row(store, row));
        Files.createDirectories(outDir);
        List<PlotResult> plots = new ArrayList<>();
        for (Plot plot : def.plots()) {
            boolean search = plot.kind() == ReportDefinition.PlotKind.BEST_VS_EPOCHS;
            PlotResult p = search ? SearchProgress.plot(store, plot, def.seeds()) : plot(store, plot, def.seeds());
            plots.add(p);
            Path png = outDir.resolve(plot.file());
            if (p.empty()) continue;
            if (search) {
                Map<String, double[][]> drawn = new LinkedHashMap<>(p.series());
                drawn.values().removeIf(points -> points.length == 0);
                String objective = plot.objective() != null ? plot.objective() : "objective";
                Charts.lines(plot.title(), "epochs trained (all trials)", "best val_" + objective + " so far", drawn, png);
            } else {
                Charts.points(plot.title(), plot.x(), plot.y(), p.series(), plot.logX(), plot.lines(), png);
            }
        }
        Path md = outDir.resolve(def.name() + ".md");
        Files.writeString(md, ReportMarkdown.render(def, rows, plots), StandardCharsets.UTF_8);
        return new Result(def, rows, plots, md);
    }

    static RowResult row(StoreReader store, Row row) throws IOException {
        Map<Integer, RunInfo> parents = store.latestParents(row.experiment(), row.seeds());
        Map<Integer, String> parentIds = new LinkedHashMap<>();
        parents.forEach((seed, run) -> parentIds.put(seed, run.runId()));
        List<Cell> cells = new ArrayList<>();
        for (Metric metric : row.metrics()) {
            Map<Integer, Double> values = new LinkedHashMap<>();
            Map<Integer, String> runIds = new LinkedHashMap<>();
            Double paper = metric.paper();
            for (Map.Entry<Integer, RunInfo> e : parents.entrySet()) {
                RunInfo parent = e.getValue();
                if (paper == null && metric.paperKey() != null) paper = store.paperFromSpec(parent, metric.paperKey());
                Optional<RunInfo> source = metric.run() == ReportDefinition.RunKind.PARENT ? Optional.of(parent)
                        : store.child(row.experiment(), parent, metric.where());
                if (source.isEmpty()) continue;
                Double v = store.lastValue(source.get(), metric.metric());
                if (v == null || v.isNaN()) continue;
                values.put(e.getKey(), v);
                runIds.put(e.getKey(), source.get().runId());
            }
            cells.add(new Cell(metric, paper, values, runIds));
        }
        return new RowResult(row, cells, parentIds);
    }

    static PlotResult plot(StoreReader store, Plot plot, List<Integer> seeds) throws IOException {
        Map<String, double[][]> series = new LinkedHashMap<>();
        List<Integer> used = new ArrayList<>();
        for (Map.Entry<Integer, RunInfo> e : store.latestParents(plot.experiment(), seeds).entrySet()) {
            List<double[]> points = new ArrayList<>();
            for (RunInfo child : store.children(plot.experiment(), e.getValue())) {
                String x = store.params(child).get(plot.x());
                Double y = store.lastValue(child, plot.y());
                if (x == null || y == null || !Double.isFinite(y)) continue;
                double xv;
                try {
                    xv = Double.parseDouble(x);
                } catch (NumberFormatException notNumeric) {
                    continue;
                }
                if (plot.logX() && xv <= 0) continue;
                points.add(new double[] {xv, y});
            }
            points.sort((a, b) -> Double.compare(a[0], b[0]));
            series.put("seed " + e.getKey(), points.toArray(new double[0][]));
            if (!points.isEmpty()) used.add(e.getKey());
        }
        return new PlotResult(plot, series, used);
    }
}
