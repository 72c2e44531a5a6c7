package org.cinelab.bench;

import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.stream.Stream;
import org.cinelab.tracking.MetricPoint;
import org.cinelab.tracking.MlflowFileStore;
import org.cinelab.tracking.RunInfo;
import org.cinelab.tracking.Tracker;
import org.cinelab.tracking.sqlite.MlflowSqliteStore;

/**
 * {@code cinelab bench sqlite [--points N] [--batched N] [--runs N] [--poll-ms N]}: metric points/s
 * (one per call and 100 per call) and runs/s written to the MLflow file store, to a SQLite database
 * in write-ahead-log mode (CineLab's) and to one with SQLite's rollback journal (how MLflow creates
 * them, and what {@code CINELAB_SQLITE_WAL=false} keeps), each while a reader polls the store the way
 * the MLflow UI's runs table does; then the size on disk of 100,000 points.
 */
public final class SqliteStoreBenchmark implements Benchmark {
    private static final int BATCH = 100;
    private static final int SIZE_POINTS = 100_000;

    @Override
    public String name() {
        return "sqlite";
    }

    @Override
    public String description() {
        return "metric points/s and runs/s into a SQLite database (WAL and rollback journal) vs the file store, "
                + "with a reader polling; size on disk per 100k points";
    }

    @Override
    public void run(String[] args, PrintStream out) throws Exception {
        int single = intOption(args, "--points", 3_000);
        int batched = intOption(args, "--batched", 30_000);
        int runs = intOption(args, "--runs", 300);
        int pollMs = intOption(args, "--poll-ms", 10);
        Path dir = Files.createTempDirectory("cinelab-bench-sqlite");
        try {
            out.printf("Tracking store benchmark in %s (reader polls every %d ms; load average %s)%n", dir, pollMs,
                    loadAverage());
            for (Kind kind : Kind.values()) {
                Path location = dir.resolve(kind.name().toLowerCase());
                try (Tracker store = kind.open(location)) {
                    String experiment = store.getOrCreateExperiment("bench", Map.of());
                    String run = store.createRun(experiment, "bench", System.currentTimeMillis(), Map.of());
                    logSingly(store, run, "warmup", Math.min(single, 500));
                    out.printf("%s%n", kind.label);
                    try (Reader reader = Reader.start(kind, location, experiment, pollMs)) {
                        long start = System.nanoTime();
                        logSingly(store, run, "single", single);
                        report(out, "metric points, 1 per call", single, System.nanoTime() - start, "points");

                        start = System.nanoTime();
                        for (int from = 0; from < batched; from += BATCH) store.logMetrics(run, batch("batched", from, BATCH));
                        report(out, "metric points, " + BATCH + " per call", batched, System.nanoTime() - start, "points");

                        start = System.nanoTime();
                        for (int i = 0; i < runs; i++) {
                            store.createRun(experiment, "run-" + i, System.currentTimeMillis(),
                                    Map.of("mlflow.parentRunId", run, "cinelab.trial", Integer.toString(i)));
                        }
                        report(out, "run creation (2 tags)", runs, System.nanoTime() - start, "runs");
                        out.printf("  %-28s %s%n", "reader meanwhile", reader.summary());
                    }
                }
            }
            out.printf("Size on disk of %,d points (2 keys, %d per call, one run):%n", SIZE_POINTS, BATCH);
            for (Kind kind : Kind.values()) {
                Path location = dir.resolve("size-" + kind.name().toLowerCase());
                try (Tracker store = kind.open(location)) {
                    String run = store.createRun(store.getOrCreateExperiment("size", Map.of()), "size", 1L, Map.of());
                    long before = kind.bytes(location);
                    for (int from = 0; from < SIZE_POINTS; from += BATCH) {
                        List<MetricPoint> points = new ArrayList<>(BATCH);
                        for (int i = from; i < from + BATCH; i++) {
                            points.add(new MetricPoint(i % 2 == 0 ? "train_loss" : "val_rmse", 1.0 / (i + 3), i / 2,
                                    1_795_643_931_495L + i));
                        }
                        store.logMetrics(run, points);
                    }
                    store.close();
                    long bytes = kind.bytes(location) - before;
                    out.printf("  %-34s %,12d bytes = %5.1f bytes/point%n", kind.label, bytes, bytes / (double) SIZE_POINTS);
                }
            }
        } finally {
            deleteTree(dir);
        }
    }

    /** The three stores compared. */
    private enum Kind {
        FILE_STORE("MLflow file store"),
        SQLITE_WAL("SQLite, write-ahead log (CineLab's mode)"),
        SQLITE_ROLLBACK("SQLite, rollback journal (MLflow's; CINELAB_SQLITE_WAL=false)");

        final String label;

        Kind(String label) {
            this.label = label;
        }

        Tracker open(Path location) throws IOException {
            if (this == FILE_STORE) return new MlflowFileStore(location);
            return MlflowSqliteStore.open(location.resolve("mlflow.db"), this == SQLITE_WAL);
        }

        /** Bytes of the database and its journal files, or of every file of the file store. */
        long bytes(Path location) throws IOException {
            if (this == FILE_STORE) return treeBytes(location);
            long total = 0;
            for (String suffix : List.of("", "-wal", "-shm", "-journal")) {
                Path f = location.resolve("mlflow.db" + suffix);
                if (Files.exists(f)) total += Files.size(f);
            }
            return total;
        }
    }

    /** Polls the store like the MLflow UI's runs table: runs of the experiment with their latest metrics, params and tags. */
    private static final class Reader implements AutoCloseable {
        private final AtomicBoolean stop = new AtomicBoolean();
        private final List<Long> latenciesNs = Collections.synchronizedList(new ArrayList<>());
        private final List<String> errors = Collections.synchronizedList(new ArrayList<>());
        private final Thread thread;

        private Reader(Kind kind, Path location, String experiment, int pollMs) {
            thread = new Thread(() -> {
                try (Poller poller = kind == Kind.FILE_STORE ? new FilePoller(location, experiment) : new SqlPoller(location, experiment)) {
                    while (!stop.get()) {
                        long start = System.nanoTime();
                        try {
                            poller.poll();
                            latenciesNs.add(System.nanoTime() - start);
                        } catch (Exception e) {
                            errors.add(e.getMessage());
                        }
                        Thread.sleep(pollMs);
                    }
                } catch (InterruptedException stopped) {
                    // close() ends the pause between polls
                } catch (Exception e) {
                    errors.add(e.getMessage());
                }
            }, "bench-reader");
            thread.setDaemon(true);
        }

        static Reader start(Kind kind, Path location, String experiment, int pollMs) {
            Reader reader = new Reader(kind, location, experiment, pollMs);
            reader.thread.start();
            return reader;
        }

        String summary() {
            List<Long> sorted;
            synchronized (latenciesNs) {
                sorted = new ArrayList<>(latenciesNs);
            }
            sorted.sort(null);
            if (sorted.isEmpty()) return "no poll completed; errors: " + errors.stream().limit(3).toList();
            return String.format("%,d polls, median %.1f ms, max %.1f ms, %d failed%s", sorted.size(),
                    sorted.get(sorted.size() / 2) / 1e6, sorted.get(sorted.size() - 1) / 1e6, errors.size(),
                    errors.isEmpty() ? "" : " (" + errors.get(0) + ")");
        }

        @Override
        public void close() throws InterruptedException {
            stop.set(true);
            thread.interrupt();
            thread.join();
        }
    }

    private interface Poller extends AutoCloseable {
        void poll() throws Exception;
    }

    /** What {@code mlflow ui} reads for a runs table, on its own connection (MLflow's sessions wait 20 s for locks). */
    private static final class SqlPoller implements Poller {
        private final Connection c;
        private final PreparedStatement runs;

        SqlPoller(Path location, String experiment) throws SQLException {
            c = DriverManager.getConnection("jdbc:sqlite:" + location.resolve("mlflow.db"));
            try (Statement s = c.createStatement()) {
                s.execute("PRAGMA busy_timeout = 20000");
            }
            runs = c.prepareStatement("SELECT r.run_uuid, r.name, r.status, l.key, l.value, "
                    + "(SELECT count(*) FROM params p WHERE p.run_uuid = r.run_uuid), "
                    + "(SELECT count(*) FROM tags t WHERE t.run_uuid = r.run_uuid) "
                    + "FROM runs r LEFT JOIN latest_metrics l ON l.run_uuid = r.run_uuid WHERE r.experiment_id = ? "
                    + "ORDER BY r.start_time DESC LIMIT 100");
            runs.setLong(1, Long.parseLong(experiment));
        }

        @Override
        public void poll() throws SQLException {
            try (ResultSet rs = runs.executeQuery()) {
                while (rs.next()) rs.getString(1);
            }
        }

        @Override
        public void close() throws SQLException {
            c.close();
        }
    }

    /** The file-store equivalent: list the runs, read each one's tags and the last point of its metrics. */
    private static final class FilePoller implements Poller {
        private final MlflowFileStore store;
        private final String experiment;

        FilePoller(Path location, String experiment) throws IOException {
            this.store = new MlflowFileStore(location);
            this.experiment = experiment;
        }

        @Override
        public void poll() throws IOException {
            List<RunInfo> runs = store.listRuns(experiment);
            runs.sort(Comparator.comparingLong(RunInfo::startTimeMs).reversed());
            for (RunInfo run : runs.subList(0, Math.min(100, runs.size()))) {
                store.getTags(run.runId());
                for (String key : store.getMetricKeys(run.runId())) store.getMetricHistory(run.runId(), key);
            }
        }

        @Override
        public void close() {}
    }

    private static void logSingly(Tracker store, String run, String key, int points) throws IOException {
        for (int step = 0; step < points; step++) {
            store.logMetrics(run, List.of(new MetricPoint(key, step * 0.001, step, System.currentTimeMillis())));
        }
    }

    private static List<MetricPoint> batch(String key, int from, int size) {
        List<MetricPoint> points = new ArrayList<>(size);
        long now = System.currentTimeMillis();
        for (int step = from; step < from + size; step++) points.add(new MetricPoint(key, step * 0.001, step, now));
        return points;
    }

    private static void report(PrintStream out, String what, int count, long nanos, String unit) {
        double seconds = nanos / 1e9;
        out.printf("  %-28s %,10d %s in %6.2f s = %,10.0f %s/s%n", what, count, unit, seconds, count / seconds, unit);
    }

    private static String loadAverage() {
        try {
            return Files.readString(Path.of("/proc/loadavg")).trim().split(" ", 4)[0];
        } catch (IOException | RuntimeException e) {
            return "unknown";
        }
    }

    private static long treeBytes(Path dir) throws IOException {
        try (Stream<Path> files = Files.walk(dir)) {
            long total = 0;
            for (Path f : files.filter(Files::isRegularFile).toList()) total += Files.size(f);
            return total;
        }
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
