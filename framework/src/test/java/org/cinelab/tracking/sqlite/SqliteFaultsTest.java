package org.cinelab.tracking.sqlite;

import static org.cinelab.tracking.sqlite.GoldenDatabases.connect;
import static org.cinelab.tracking.sqlite.GoldenDatabases.rows;
import static org.cinelab.tracking.sqlite.GoldenDatabases.single;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.cinelab.tracking.MetricPoint;
import org.cinelab.tracking.RunInfo;
import org.cinelab.tracking.RunStatus;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Faults a SQLite store meets: another writer holding the lock, a reader holding a snapshot, a
 * read-only file, a full disk and a process killed mid-transaction. Each gives a message that names
 * the file and what to do, loses nothing already logged and leaves a database that opens again.
 */
class SqliteFaultsTest {
    private static final MetricPoint POINT = new MetricPoint("loss", 0.5, 1, 1_000L);

    @TempDir
    Path dir;

    @Test
    void another_writer_holding_the_lock_past_the_busy_timeout_fails_the_call_cleanly() throws Exception {
        Path db = dir.resolve("mlflow.db");
        try (MlflowSqliteStore store = MlflowSqliteStore.open(db, false, 300)) {
            String run = store.createRun(store.getOrCreateExperiment("e", Map.of()), "r", 1L, Map.of());
            try (Connection other = connect(db); Statement s = other.createStatement()) {
                s.execute("BEGIN IMMEDIATE");
                s.execute("INSERT INTO experiment_tags (key, value, experiment_id) VALUES ('held', 'by another writer', 0)");
                IOException e = assertThrows(IOException.class, () -> store.logMetrics(run, List.of(POINT)));
                assertTrue(e.getMessage().startsWith("could not log 1 metric point(s) of run " + run + " to the tracking database "
                        + db + ": it stayed locked by another writer for 0.3 s"), e.getMessage());
                assertTrue(e.getMessage().contains("--resume"), e.getMessage());
                s.execute("ROLLBACK");
            }
            assertEquals(List.of(), store.getMetricHistory(run, "loss"));
            store.logMetrics(run, List.of(POINT));
            assertEquals(List.of(POINT), store.getMetricHistory(run, "loss"));
        }
    }

    @Test
    void a_writer_that_releases_the_lock_within_the_busy_timeout_is_waited_for() throws Exception {
        Path db = dir.resolve("mlflow.db");
        try (MlflowSqliteStore store = MlflowSqliteStore.open(db, false, 10_000)) {
            String run = store.createRun(store.getOrCreateExperiment("e", Map.of()), "r", 1L, Map.of());
            try (Connection other = connect(db); Statement s = other.createStatement()) {
                s.execute("BEGIN IMMEDIATE");
                Thread release = new Thread(() -> {
                    try {
                        Thread.sleep(400);
                        s.execute("COMMIT");
                    } catch (Exception e) {
                        throw new IllegalStateException(e);
                    }
                });
                release.start();
                long start = System.nanoTime();
                store.logMetrics(run, List.of(POINT));
                assertTrue(System.nanoTime() - start >= TimeUnit.MILLISECONDS.toNanos(300), "the store waited for the lock");
                release.join();
            }
            assertEquals(List.of(POINT), store.getMetricHistory(run, "loss"));
        }
    }

    /**
     * Why CineLab puts databases in write-ahead-log mode: there a reader (the MLflow UI) holding a
     * snapshot never holds up CineLab's writes; with MLflow's rollback journal it does, until the
     * busy timeout. A database MLflow made is switched on open, unless a reader is in it right then.
     */
    @Test
    void a_reader_holding_a_snapshot_blocks_writes_only_with_the_rollback_journal() throws Exception {
        Path db = dir.resolve("mlflow.db");
        MlflowSqliteStore.open(db, false).close();
        assertEquals("delete", single(db, "PRAGMA journal_mode"), "as MLflow creates it");
        try (Connection reader = connect(db); Statement read = reader.createStatement()) {
            read.execute("BEGIN");
            read.executeQuery("SELECT count(*) FROM experiments").close();
            try (MlflowSqliteStore store = MlflowSqliteStore.open(db, false, true, 300)) {
                assertEquals("delete", single(db, "PRAGMA journal_mode"), "no switch while a reader is inside");
                IOException e = assertThrows(IOException.class, () -> store.getOrCreateExperiment("e", Map.of()));
                assertTrue(e.getMessage().contains("locked by another writer"), e.getMessage());
            }
            read.execute("COMMIT");
        }
        try (MlflowSqliteStore store = MlflowSqliteStore.open(db, false, true, 300);
             Connection reader = connect(db); Statement read = reader.createStatement()) {
            assertEquals("wal", single(db, "PRAGMA journal_mode"), "switched once no one else was inside");
            String run = store.createRun(store.getOrCreateExperiment("e", Map.of()), "r", 1L, Map.of());
            read.execute("BEGIN");
            read.executeQuery("SELECT count(*) FROM metrics").close();
            store.logMetrics(run, List.of(POINT));
            read.execute("COMMIT");
            assertEquals(List.of(POINT), store.getMetricHistory(run, "loss"));
        }
    }

    @Test
    void a_read_only_database_is_refused_for_logging_naming_the_file_and_still_reads() throws Exception {
        Path db = dir.resolve("mlflow.db");
        String run;
        try (MlflowSqliteStore store = MlflowSqliteStore.open(db)) {
            run = store.createRun(store.getOrCreateExperiment("e", Map.of()), "r", 1L, Map.of());
            store.logMetrics(run, List.of(POINT));
        }
        ReadOnly readOnly = ReadOnly.make(db);
        try {
            UnusableDatabaseException e = assertThrows(UnusableDatabaseException.class, () -> MlflowSqliteStore.open(db));
            assertEquals("the tracking database " + db + " cannot be written: " + db + " is read-only (permissions, a "
                    + "read-only mount or an immutable file; SQLite also writes a journal beside the database). Make it "
                    + "writable, or log to another database with --tracking-uri sqlite:///other.db; reading it (cinelab "
                    + "report, cinelab sync from it) works as it is", e.getMessage());
            try (MlflowSqliteStore reader = MlflowSqliteStore.openForReading(db)) {
                assertEquals(List.of(POINT), reader.getMetricHistory(run, "loss"));
                IOException write = assertThrows(IOException.class, () -> reader.logMetrics(run, List.of(POINT)));
                assertTrue(write.getMessage().contains("was opened read-only"), write.getMessage());
            }
        } finally {
            readOnly.undo();
        }
    }

    /** A full disk simulated with SQLite's own page limit, which fails writes with the same SQLITE_FULL. */
    @Test
    void a_full_database_fails_the_call_whole_and_logging_goes_on_once_there_is_room() throws Exception {
        Path db = dir.resolve("mlflow.db");
        try (MlflowSqliteStore store = MlflowSqliteStore.open(db)) {
            String run = store.createRun(store.getOrCreateExperiment("e", Map.of()), "r", 1L, Map.of());
            long pages = Long.parseLong(store.sqlite().pragma("PRAGMA page_count"));
            store.sqlite().pragma("PRAGMA max_page_count = " + (pages + 6));
            IOException full = fillUntilFull(store, run);
            assertTrue(full.getMessage().contains("the tracking database " + db + ": the database or its disk is full"),
                    full.getMessage());
            assertTrue(full.getMessage().contains("Free space on the disk holding " + dir + " and run again with --resume"),
                    full.getMessage());
            int kept = store.getMetricHistory(run, "loss").size();
            assertTrue(kept > 0 && kept % 100 == 0, "only whole batches are kept: " + kept);
            assertLatestMatchesHistory(db);

            store.sqlite().pragma("PRAGMA max_page_count = 1000000");
            store.logMetrics(run, batch(kept, 100));
            assertEquals(kept + 100, store.getMetricHistory(run, "loss").size());
        }
        assertEquals("ok", single(db, "PRAGMA integrity_check"));
    }

    /** A real full disk: a 1 MiB tmpfs, where the system lets this test mount one (root on Linux). */
    @Test
    void a_really_full_disk_fails_the_call_whole_and_the_database_stays_sound() throws Exception {
        Path mount = Files.createDirectories(dir.resolve("tiny"));
        Assumptions.assumeTrue(run("mount", "-t", "tmpfs", "-o", "size=1m", "tmpfs", mount.toString()) == 0,
                "cannot mount a tmpfs here (needs root on Linux): the max_page_count test covers SQLITE_FULL");
        try {
            Path db = mount.resolve("mlflow.db");
            try (MlflowSqliteStore store = MlflowSqliteStore.open(db)) {
                String run = store.createRun(store.getOrCreateExperiment("e", Map.of()), "r", 1L, Map.of());
                assertTrue(Files.exists(mount.resolve("mlflow.db" + MlflowSqliteStore.RESERVE_SUFFIX)), "space set aside");
                IOException full = fillUntilFull(store, run);
                assertTrue(full.getMessage().contains("full") || full.getMessage().contains("I/O error"), full.getMessage());
                assertTrue(full.getMessage().contains(db.toString()), full.getMessage());
                assertTrue(store.getMetricHistory(run, "loss").size() % 100 == 0);
                store.releaseReserve();
                store.setRunStatus(run, RunStatus.FAILED, 2_000L);
                assertEquals(RunStatus.FAILED, store.getRun(run).orElseThrow().status(), "the reserve makes room to end the run");
            }
            assertFalse(Files.exists(mount.resolve("mlflow.db" + MlflowSqliteStore.RESERVE_SUFFIX)));
            assertEquals("ok", single(db, "PRAGMA integrity_check"));
            assertLatestMatchesHistory(db);
        } finally {
            run("umount", mount.toString());
        }
    }

    /**
     * A child JVM logging runs is killed with SIGKILL mid-stream: the database opens again, passes
     * SQLite's integrity check, and holds only whole runs (all tags) and whole metric batches.
     */
    @Test
    void a_process_killed_mid_transaction_leaves_whole_runs_and_batches_and_logging_resumes() throws Exception {
        Path db = dir.resolve("mlflow.db");
        List<String> cmd = List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(), "-Xmx256m", "-cp",
                System.getProperty("java.class.path"), SqliteLoggerMain.class.getName(), db.toString());
        Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
        List<String> finished = new ArrayList<>();
        try (BufferedReader out = new BufferedReader(new InputStreamReader(p.getInputStream(), StandardCharsets.UTF_8))) {
            long deadline = System.nanoTime() + TimeUnit.MINUTES.toNanos(3);
            String line;
            int created = 0;
            while (created < 4 && System.nanoTime() < deadline && (line = out.readLine()) != null) {
                if (line.startsWith("FINISHED ")) finished.add(line.substring(9));
                if (line.startsWith("CREATED ")) created++;
            }
            assertEquals(3, finished.size(), "the child logged 3 runs and created a 4th before it was killed");
            Thread.sleep(25); // into the 4th run's batches
            p.destroyForcibly();
            assertTrue(p.waitFor(30, TimeUnit.SECONDS));
        }
        assertEquals(137, p.exitValue(), "killed by SIGKILL");

        assertEquals("ok", single(db, "PRAGMA integrity_check"));
        assertTrue(rows(db, "PRAGMA foreign_key_check").isEmpty());
        for (List<Object> run : rows(db, "SELECT run_uuid, (SELECT count(*) FROM tags t WHERE t.run_uuid = r.run_uuid), "
                + "(SELECT count(*) FROM params p WHERE p.run_uuid = r.run_uuid), "
                + "(SELECT count(*) FROM metrics m WHERE m.run_uuid = r.run_uuid) FROM runs r")) {
            assertEquals(SqliteLoggerMain.TAGS + 1, run.get(1), "a run has all its tags or does not exist");
            assertTrue(List.of(0, 3).contains(run.get(2)), "params are logged whole: " + run);
            assertEquals(0, (Integer) run.get(3) % SqliteLoggerMain.BATCH, "metric batches are logged whole: " + run);
        }
        assertLatestMatchesHistory(db);

        try (MlflowSqliteStore store = MlflowSqliteStore.open(db)) {
            for (String id : finished) assertEquals(RunStatus.FINISHED, store.getRun(id).orElseThrow().status());
            RunInfo interrupted = store.listRuns("1").stream().filter(r -> r.status() == RunStatus.RUNNING).findFirst()
                    .orElseThrow(() -> new AssertionError("the killed run stays RUNNING, to be resumed"));
            int logged = store.getMetricHistory(interrupted.runId(), "loss").size();
            store.logMetrics(interrupted.runId(), List.of(new MetricPoint("loss", 0.1, 1_000_000, 2_000_000L)));
            store.setRunStatus(interrupted.runId(), RunStatus.FINISHED, 3_000_000L);
            assertEquals(logged + 1, store.getMetricHistory(interrupted.runId(), "loss").size());
        }
    }

    private static IOException fillUntilFull(MlflowSqliteStore store, String run) throws IOException {
        for (int b = 0; b < 10_000; b++) {
            try {
                store.logMetrics(run, batch(b * 100, 100));
            } catch (IOException e) {
                return e;
            }
        }
        throw new AssertionError("the database never filled up");
    }

    private static List<MetricPoint> batch(int from, int size) {
        List<MetricPoint> points = new ArrayList<>();
        for (int i = from; i < from + size; i++) points.add(new MetricPoint("loss", Math.sqrt(i + 1.0), i, 1_000L + i));
        return points;
    }

    /** Every latest_metrics row is the (step, timestamp, value)-largest point of its key. */
    private static void assertLatestMatchesHistory(Path db) throws Exception {
        List<List<Object>> stale = rows(db, "SELECT l.run_uuid, l.key FROM latest_metrics l WHERE NOT EXISTS ("
                + "SELECT 1 FROM metrics m WHERE m.run_uuid = l.run_uuid AND m.key = l.key AND m.step = l.step "
                + "AND m.timestamp = l.timestamp AND m.value = l.value) OR EXISTS (SELECT 1 FROM metrics m WHERE "
                + "m.run_uuid = l.run_uuid AND m.key = l.key AND (m.step > l.step OR (m.step = l.step AND m.timestamp > l.timestamp)))");
        assertEquals(List.of(), stale);
        assertEquals(rows(db, "SELECT count(DISTINCT run_uuid || key) FROM metrics"), rows(db, "SELECT count(*) FROM latest_metrics"));
    }

    private static int run(String... command) throws Exception {
        try {
            Process p = new ProcessBuilder(command).redirectErrorStream(true).start();
            p.getInputStream().readAllBytes();
            return p.waitFor(30, TimeUnit.SECONDS) ? p.exitValue() : -1;
        } catch (IOException notInstalled) {
            return -1;
        }
    }

    /** Makes a file read-only in a way that binds root too (an immutable file), else by its permissions. */
    record ReadOnly(Path file, boolean immutable) {
        static ReadOnly make(Path file) throws Exception {
            if ("root".equals(System.getProperty("user.name"))) {
                Assumptions.assumeTrue(run("chattr", "+i", file.toString()) == 0,
                        "as root only an immutable file (chattr +i) is read-only, and chattr failed here: skipping");
                return new ReadOnly(file, true);
            }
            assertTrue(file.toFile().setWritable(false, false));
            return new ReadOnly(file, false);
        }

        void undo() throws Exception {
            if (immutable) run("chattr", "-i", file.toString());
            else file.toFile().setWritable(true, false);
            assertFalse(!Files.isWritable(file), "could not make " + file + " writable again");
        }
    }
}
