package org.cinelab.bench;

import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.cinelab.tracking.MetricPoint;
import org.cinelab.tracking.RunStatus;
import org.cinelab.tracking.rest.FakeMlflowServer;
import org.cinelab.tracking.rest.RestApi;
import org.cinelab.tracking.rest.RestSettings;
import org.cinelab.tracking.rest.RestTracker;

/**
 * Metric points per second sent to an MLflow tracking server, one {@code log-batch} request per
 * point versus {@link RestTracker}'s background batching, and how long the training thread spends
 * in {@code logMetrics}: {@code cinelab bench rest-logging [--points N] [--uri URL]}. Without
 * {@code --uri} the server is the in-process {@link FakeMlflowServer} on 127.0.0.1.
 */
public final class RestLoggingBenchmark implements Benchmark {
    private static final int DEFAULT_POINTS = 5_000;

    @Override
    public String name() {
        return "rest-logging";
    }

    @Override
    public String description() {
        return "metric points/s sent to an MLflow server (in-process test server by default), unbatched vs batched";
    }

    @Override
    public void run(String[] args, PrintStream out) throws Exception {
        int points = intOption(args, "--points", DEFAULT_POINTS);
        String uri = stringOption(args, "--uri");
        FakeMlflowServer fake = null;
        if (uri == null) {
            fake = FakeMlflowServer.started();
            uri = fake.uri();
        }
        Path spool = Files.createTempDirectory("cinelab-bench-spool");
        RestSettings settings = RestSettings.from(uri, System.getenv()).withSpoolDir(spool);
        try (RestTracker tracker = new RestTracker(settings, out::println, false);
             RestApi api = new RestApi(settings)) {
            out.printf("REST logging benchmark against %s%s, %,d points per mode%n", settings.baseUri(),
                    fake != null ? " (in-process test server)" : "", points);
            String experiment = tracker.getOrCreateExperiment("rest-logging-benchmark", Map.of());

            String warm = tracker.createRun(experiment, "warmup", System.currentTimeMillis(), Map.of());
            for (int i = 0; i < Math.min(points, 500); i++) api.logMetrics(warm, List.of(point("w", i)));

            String single = tracker.createRun(experiment, "unbatched", System.currentTimeMillis(), Map.of());
            long start = System.nanoTime();
            for (int i = 0; i < points; i++) api.logMetrics(single, List.of(point("loss", i)));
            long unbatched = System.nanoTime() - start;
            report(out, "unbatched (1 request/point)", points, unbatched, unbatched);

            String batched = tracker.createRun(experiment, "batched", System.currentTimeMillis(), Map.of());
            start = System.nanoTime();
            long inCalls = 0;
            for (int i = 0; i < points; i++) {
                long t = System.nanoTime();
                tracker.logMetrics(batched, List.of(point("loss", i)));
                inCalls += System.nanoTime() - t;
            }
            tracker.setRunStatus(batched, RunStatus.FINISHED, System.currentTimeMillis());
            report(out, "batched (background sender)", points, System.nanoTime() - start, inCalls);
            if (fake != null) {
                out.printf("  server received %,d log-batch requests in all%n", fake.requests().stream()
                        .filter(r -> r.path().endsWith("runs/log-batch")).count());
            }
        } finally {
            if (fake != null) fake.stop();
        }
    }

    private static MetricPoint point(String key, int step) {
        return new MetricPoint(key, 1.0 / (step + 1), step, System.currentTimeMillis());
    }

    private static void report(PrintStream out, String what, int count, long nanos, long callerNanos) {
        double seconds = nanos / 1e9;
        out.printf("  %-30s %,8d points in %7.3f s = %,10.0f points/s; caller blocked %,9.3f ms in total (%.2f µs/point)%n",
                what, count, seconds, count / seconds, callerNanos / 1e6, callerNanos / 1e3 / count);
    }

    private static int intOption(String[] args, String name, int fallback) {
        String value = stringOption(args, name);
        if (value == null) return fallback;
        int parsed = Integer.parseInt(value);
        if (parsed <= 0) throw new IllegalArgumentException(name + " must be positive, got " + parsed);
        return parsed;
    }

    private static String stringOption(String[] args, String name) {
        for (int i = 0; i < args.length; i++) {
            if (args[i].equals(name)) {
                if (i + 1 >= args.length) throw new IllegalArgumentException(name + " needs a value");
                return args[i + 1];
            }
        }
        return null;
    }
}
