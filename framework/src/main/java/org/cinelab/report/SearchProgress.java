package org.cinelab.report;

import org.cinelab.report.ReportDefinition.Plot;
import org.cinelab.report.ReportDefinition.Search;
import org.cinelab.tracking.MetricPoint;
import org.cinelab.tracking.RunInfo;

import java.io.IOException;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A {@code best_vs_epochs} plot: how fast searches find a good configuration for the compute they spend.
 * Every logged per-epoch validation point of a child run is one trained epoch; ordered by the time it was
 * logged (then step, then run), the points give the cumulative epochs trained against the best validation
 * objective so far. Parallel trials interleave in that order, as they trained.
 */
final class SearchProgress {
    private SearchProgress() {}

    /** A logged validation point of some child run. */
    record Point(String runId, long step, long timestampMs, double value) {}

    /** Points {epochs so far, best so far}, one per logged point in logging order; non-finite values count as epochs only. */
    static double[][] curve(List<Point> points, boolean higherIsBetter) {
        List<Point> sorted = new ArrayList<>(points);
        sorted.sort(Comparator.comparingLong(Point::timestampMs).thenComparingLong(Point::step).thenComparing(Point::runId));
        double[][] out = new double[sorted.size()][];
        double best = Double.NaN;
        for (int i = 0; i < sorted.size(); i++) {
            double v = sorted.get(i).value();
            if (Double.isFinite(v) && (Double.isNaN(best) || (higherIsBetter ? v > best : v < best))) best = v;
            out[i] = new double[] {i + 1, best};
        }
        return out;
    }

    /** Label -> curve for each search; a search with no finished execution of the seed maps to an empty curve. */
    static StudyReport.PlotResult plot(StoreReader store, Plot plot, List<Integer> reportSeeds) throws IOException {
        int seed = plot.seed() != null ? plot.seed() : reportSeeds.get(0);
        Map<String, double[][]> series = new LinkedHashMap<>();
        boolean any = false;
        for (Search search : plot.searches()) {
            RunInfo parent = store.latestParents(search.experiment(), List.of(seed)).get(seed);
            double[][] curve = new double[0][];
            if (parent != null) {
                Map<String, String> params = store.params(parent);
                String objective = plot.objective() != null ? plot.objective() : params.getOrDefault("objective.metric", "loss");
                boolean higher = "max".equals(params.get("objective.mode"));
                List<Point> points = new ArrayList<>();
                for (RunInfo child : store.allChildren(search.experiment(), parent)) {
                    for (MetricPoint p : store.history(child, "val_" + objective)) {
                        points.add(new Point(child.runId(), p.step(), p.timestampMs(), p.value()));
                    }
                }
                curve = curve(points, higher);
                any |= curve.length > 0;
            }
            series.put(search.label(), curve);
        }
        return new StudyReport.PlotResult(plot, series, any ? List.of(seed) : List.of());
    }
}
