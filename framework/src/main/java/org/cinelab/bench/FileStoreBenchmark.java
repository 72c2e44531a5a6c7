package org.cinelab.bench;

import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.cinelab.tracking.MetricPoint;
import org.cinelab.tracking.MlflowFileStore;

/**
 * How fast the MLflow file store takes metric points (one per call, and 100 per call) and creates
 * runs, on a temporary directory: {@code cinelab bench filestore [--points N] [--runs N]}.
 */
public final class FileStoreBenchmark implements Benchmark {
    private static final int DEFAULT_POINTS = 20_000;
    private static final int DEFAULT_RUNS = 500;
    private static final int BATCH = 100;

    public FileStoreBenchmark() {}

    @Override
    public String name() {
        return "filestore";
    }

    @Override
    public String description() {
        return "metric points/s (single and batches of " + BATCH + ") and runs/s written to a local MLflow file store";
    }

    @Override
    public void run(String[] args, PrintStream out) throws Exception {
        int points = intOption(args, "--points", DEFAULT_POINTS);
        int runs = intOption(args, "--runs", DEFAULT_RUNS);
        Path dir = Files.createTempDirectory("cinelab-bench-filestore");
        try {
            MlflowFileStore store = new MlflowFileStore(dir);
            String experiment = store.getOrCreateExperiment("filestore-benchmark", Map.of());
            String run = store.createRun(experiment, "bench", System.currentTimeMillis(), Map.of());
            logSingly(store, run, "warmup", Math.min(points, 2_000));
            out.printf("MLflow file store benchmark on %s%n", dir);

            long start = System.nanoTime();
            logSingly(store, run, "single", points);
            report(out, "metric points, 1 per call", points, System.nanoTime() - start, "points");

            start = System.nanoTime();
            for (int from = 0; from < points; from += BATCH) {
                List<MetricPoint> batch = new ArrayList<>(BATCH);
                long now = System.currentTimeMillis();
                for (int step = from; step < Math.min(points, from + BATCH); step++) {
                    batch.add(new MetricPoint("batched", step * 0.001, step, now));
                }
                store.logMetrics(run, batch);
            }
            report(out, "metric points, " + BATCH + " per call", points, System.nanoTime() - start, "points");

            start = System.nanoTime();
            for (int i = 0; i < runs; i++) {
                store.createRun(experiment, "run-" + i, System.currentTimeMillis(), Map.of());
            }
            report(out, "run creation", runs, System.nanoTime() - start, "runs");
        } finally {
            deleteTree(dir);
        }
    }

    private static void logSingly(MlflowFileStore store, String run, String key, int points) throws IOException {
        for (int step = 0; step < points; step++) {
            store.logMetrics(run, List.of(new MetricPoint(key, step * 0.001, step, System.currentTimeMillis())));
        }
    }

    private static void report(PrintStream out, String what, int count, long nanos, String unit) {
        double seconds = nanos / 1e9;
        out.printf("  %-28s %,10d %s in %6.2f s = %,12.0f %s/s%n", what, count, unit, seconds, count / seconds, unit);
    }

    private static int intOption(String[] args, String name, int fallback) {
        for (int i = 0; i < args.length; i++) {
            if (args[i].equals(name)) {
                if (i + 1 >= args.length) throw new IllegalArgumentException(name + " needs a positive number");
                int value = Integer.parseInt(args[i + 1]);
                if (value <= 0) throw new IllegalArgumentException(name + " must be positive, got " + value);
                return value;
            }
        }
        return fallback;
    }

    private static void deleteTree(Path dir) throws IOException {
        try (Stream<Path> paths = Files.walk(dir)) {
            for (Path p : paths.sorted(Comparator.reverseOrder()).toList()) Files.deleteIfExists(p);
        }
    }
}
