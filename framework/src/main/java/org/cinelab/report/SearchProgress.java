package org.cinelab.report;

import org.cinelab.report.ReportDefinition.Plot;
import org.cinelab.report.ReportDefinition.Search;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A {@code best_vs_epochs} plot: how fast searches find a good configuration for the compute they spend.
 * Every logged per-epoch validation point of a child run is one trained epoch; ordered by the time it was
 * logged (then step, then run), the points give the cumulative epochs trained against the objective of the
 * best trial so far <em>as the search counts it</em>: each trial at its latest epoch (at its best epoch when
 * the search stops early and restores the best weights). The curve therefore ends at the parent run's
 * {@code best_val_<objective>}, the number the table shows; a trial that got worse after a good epoch can
 * make the curve rise.
 */
final class SearchProgress {
    private SearchProgress() {}

    /** A logged validation point of some child run. */
    record Point(String runId, long step, long timestampMs, double value) {}

    /**
     * Points {epochs so far, best counted objective so far}, one per logged point in logging order.
     *
     * @param bestEpochCounts true when a trial counts at its best epoch (early stopping), false at its latest
     */
    static double[][] curve(List<Point> points, boolean higherIsBetter, boolean bestEpochCounts) {
        List<Point> sorted = new ArrayList<>(points);
        sorted.sort(Comparator.comparingLong(Point::timestampMs).thenComparingLong(Point::step).thenComparing(Point::runId));
        Map<String, Double> counted = new HashMap<>();
        double[][] out = new double[sorted.size()][];
        for (int i = 0; i < sorted.size(); i++) {
            Point p = sorted.get(i);
            Double before = counted.get(p.runId());
            double v = p.value();
            if (!bestEpochCounts || before == null || Double.isNaN(before) || (Double.isFinite(v) && better(v, before, higherIsBetter))) {
                counted.put(p.runId(), v);
            }
            double best = Double.NaN;
            for (double c : counted.values()) {
                if (Double.isFinite(c) && (Double.isNaN(best) || better(c, best, higherIsBetter))) best = c;
            }
            out[i] = new double[] {i + 1, best};
        }
        return out;
    }

    private static boolean better(double a, double b, boolean higher) { return higher ? a > b : a < b; }

    /** Label -> curve for each search; a search with no execution of the seed in the ledger maps to an empty curve. */
    static StudyReport.PlotResult plot(RunLedger ledger, Plot plot, List<Integer> reportSeeds) {
        int seed = plot.seed() != null ? plot.seed() : reportSeeds.get(0);
        String use = LedgerRun.plotUse(plot.file());
        Map<String, double[][]> series = new LinkedHashMap<>();
        List<StudyReport.Agreement> agreements = new ArrayList<>();
        boolean any = false;
        for (Search search : plot.searches()) {
            LedgerRun parent = ledger.parents(use, search.experiment()).get(seed);
            double[][] curve = new double[0][];
            if (parent != null) {
                String objective = plot.objective() != null ? plot.objective() : parent.params().getOrDefault("objective.metric", "loss");
                boolean higher = "max".equals(parent.params().get("objective.mode"));
                boolean earlyStopping = parent.params().containsKey("search.early_stopping.patience");
                List<Point> points = new ArrayList<>();
                for (LedgerRun child : ledger.children(use, parent.runId())) {
                    for (double[] p : child.histories().getOrDefault("val_" + objective, List.of())) {
                        points.add(new Point(child.runId(), (long) p[0], (long) p[1], p[2]));
                    }
                }
                curve = curve(points, higher, earlyStopping);
                any |= curve.length > 0;
                Double table = parent.metrics().get("best_val_" + objective);
                if (curve.length > 0 && table != null) {
                    agreements.add(new StudyReport.Agreement(plot.file(), search.label() + ": curve's last value vs the parent run's best_val_"
                            + objective, curve[curve.length - 1][1], table));
                }
            }
            series.put(search.label(), curve);
        }
        UnavailableRuns gone = any ? null : ledger.unavailable(use).orElse(null);
        return new StudyReport.PlotResult(plot, series, Map.of(), any ? List.of(seed) : List.of(), gone, agreements);
    }
}
