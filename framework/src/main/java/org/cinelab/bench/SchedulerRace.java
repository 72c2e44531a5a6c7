package org.cinelab.bench;

import org.cinelab.runner.ExperimentResult;
import org.cinelab.runner.ExperimentRunner;
import org.cinelab.runner.RunOptions;
import org.cinelab.search.Objective;
import org.cinelab.spec.ExperimentSpec;
import org.cinelab.tracking.MetricPoint;
import org.cinelab.tracking.MlflowFileStore;

import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;

/**
 * One real execution of a spec through {@link ExperimentRunner} on a temporary file store, and
 * what a comparison of schedulers or samplers needs from it: wall time, the workers' idle share, the
 * epochs trained, and the best validation objective over time (from the logged metrics' timestamps).
 */
final class SchedulerRace {

    /**
     * @param timeline (seconds since the start, best validation objective so far) at every logged epoch
     */
    record Outcome(String label, double seconds, double idleFraction, long epochs, int trials, double best, Objective objective,
                   List<double[]> timeline) {

        /** Seconds until the best objective so far was at least as good as {@code target}; NaN if never. */
        double secondsToReach(double target) {
            for (double[] p : timeline) if (!objective.isBetter(target, p[1])) return p[0];
            return Double.NaN;
        }
    }

    private SchedulerRace() {}

    static Outcome run(String label, ExperimentSpec spec, int parallel, Path dataDir, Path dir) throws Exception {
        Files.createDirectories(dir);
        Objective objective = spec.objective();
        String key = "val_" + objective.metric();
        long start = System.currentTimeMillis();
        try (MlflowFileStore store = new MlflowFileStore(dir.resolve("mlruns"))) {
            ExperimentResult r = new ExperimentRunner(spec, store, new RunOptions(parallel, false, dataDir, dir.resolve("state"),
                    new PrintWriter(java.io.Writer.nullWriter()))).run();
            double seconds = (System.currentTimeMillis() - start) / 1e3;
            List<MetricPoint> points = new ArrayList<>();
            long epochs = 0;
            for (ExperimentResult.TrialSummary t : r.trials()) {
                epochs += t.epochs();
                if (t.runId() != null) points.addAll(store.getMetricHistory(t.runId(), key));
            }
            points.sort(Comparator.comparingLong(MetricPoint::timestampMs));
            List<double[]> timeline = new ArrayList<>();
            double best = Double.NaN;
            for (MetricPoint p : points) {
                if (objective.isBetter(p.value(), best)) best = p.value();
                timeline.add(new double[] {(p.timestampMs() - start) / 1e3, best});
            }
            return new Outcome(label, seconds, r.idleFraction(), epochs, r.trials().size(), best, objective, timeline);
        }
    }
}
