package org.cinelab.tracking.sqlite;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.cinelab.tracking.MetricPoint;
import org.cinelab.tracking.RunStatus;

/**
 * Test helper run in a separate JVM, to be killed: {@code <db>} logs runs to the database without
 * end, each with 5 tags, 3 params and metric batches of {@value #BATCH} points, and prints
 * {@code FINISHED <run id>} after each run.
 */
public final class SqliteLoggerMain {
    static final int BATCH = 250;
    static final int BATCHES_PER_RUN = 20;
    static final int TAGS = 5;

    private SqliteLoggerMain() {}

    public static void main(String[] args) throws Exception {
        try (MlflowSqliteStore store = MlflowSqliteStore.open(Path.of(args[0]))) {
            String experiment = store.getOrCreateExperiment("killed", Map.of());
            for (int r = 0; ; r++) {
                Map<String, String> tags = new java.util.LinkedHashMap<>();
                for (int t = 0; t < TAGS; t++) tags.put("tag" + t, "value " + t + " of run " + r);
                String run = store.createRun(experiment, "run-" + r, System.currentTimeMillis(), tags);
                System.out.println("CREATED " + run);
                System.out.flush();
                store.logParams(run, Map.of("lr", "0.01", "factors", "32", "run", Integer.toString(r)));
                for (int b = 0; b < BATCHES_PER_RUN; b++) {
                    List<MetricPoint> points = new ArrayList<>(BATCH);
                    for (int i = 0; i < BATCH; i++) {
                        long step = (long) b * BATCH + i;
                        points.add(new MetricPoint(i % 2 == 0 ? "loss" : "val_rmse", 1.0 / (step + 1), step, 1_000L + step));
                    }
                    store.logMetrics(run, points);
                }
                store.setRunStatus(run, RunStatus.FINISHED, System.currentTimeMillis());
                System.out.println("FINISHED " + run);
                System.out.flush();
            }
        }
    }
}
