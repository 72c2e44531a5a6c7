package org.cinelab.tracking.sqlite;

import static org.cinelab.tracking.sqlite.GoldenDatabases.single;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.cinelab.cli.Main;
import org.cinelab.testing.SharedData;
import org.cinelab.tracking.MetricPoint;
import org.cinelab.tracking.MlflowFileStore;
import org.cinelab.tracking.RunInfo;
import org.cinelab.tracking.RunStatus;
import org.cinelab.tracking.rest.FakeMlflowServer;
import org.cinelab.tracking.sqlite.GoldenDatabases.Golden;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

/**
 * {@code cinelab sync} between SQLite databases, file stores and servers: a file store MLflow wrote
 * migrates into a database, a database MLflow wrote copies to a file store and to a server, and a
 * second sync copies nothing.
 */
class SqliteSyncTest {
    @TempDir
    Path dir;

    @Test
    void a_file_store_mlflow_wrote_migrates_into_a_sqlite_database_once() throws Exception {
        Path mlruns = copyTree(SharedData.require().resolve("mlflow-golden/filestore-2.17"), dir.resolve("mlruns"));
        Path db = dir.resolve("migrated/mlflow.db");
        Result first = sync(mlruns.toString(), "sqlite:///" + db);
        assertEquals(0, first.exit, first.out);
        assertTrue(first.out.contains("3 run(s) created, 0 already there, 21 metric point(s) sent"), first.out);

        try (MlflowFileStore source = new MlflowFileStore(mlruns); MlflowSqliteStore copy = MlflowSqliteStore.openForReading(db)) {
            String sourceExperiment = source.findExperimentByName("cinelab-golden-fs").orElseThrow().experimentId();
            String experiment = copy.findExperimentByName("cinelab-golden-fs").orElseThrow().experimentId();
            assertEquals(source.findExperimentByName("cinelab-golden-fs").orElseThrow().tags(),
                    copy.findExperimentByName("cinelab-golden-fs").orElseThrow().tags());
            Map<String, String> copiedIds = new HashMap<>();
            for (RunInfo run : copy.listRuns(experiment)) copiedIds.put(copy.getTags(run.runId()).get("cinelab.sync.source_run_id"), run.runId());
            assertEquals(3, copiedIds.size());
            for (RunInfo run : source.listRuns(sourceExperiment)) {
                String id = copiedIds.get(run.runId());
                RunInfo copied = copy.getRun(id).orElseThrow();
                assertEquals(run.runName(), copied.runName());
                assertEquals(run.status(), copied.status());
                assertEquals(run.startTimeMs(), copied.startTimeMs());
                assertEquals(run.endTimeMs(), copied.endTimeMs());
                assertEquals(source.getParams(run.runId()), copy.getParams(id));
                Map<String, String> tags = new HashMap<>(source.getTags(run.runId()));
                if (tags.containsKey("mlflow.parentRunId")) tags.put("mlflow.parentRunId", copiedIds.get(tags.get("mlflow.parentRunId")));
                tags.put("cinelab.sync.source_run_id", run.runId());
                assertEquals(tags, copy.getTags(id), "parent links point at the copied parent");
                for (String key : source.getMetricKeys(run.runId())) {
                    List<MetricPoint> expected = source.getMetricHistory(run.runId(), key).stream()
                            .map(p -> p.value() == Double.POSITIVE_INFINITY ? new MetricPoint(p.key(), Double.MAX_VALUE, p.step(), p.timestampMs()) : p)
                            .toList();
                    assertEquals(expected, copy.getMetricHistory(id, key), run.runName() + " " + key);
                }
                assertEquals(source.getMetricKeys(run.runId()), copy.getMetricKeys(id));
                Path sourceArtifacts = source.localArtifactDirectory(run.runId()).orElseThrow();
                if (Files.isRegularFile(sourceArtifacts.resolve("reports/summary.txt"))) {
                    assertEquals(Files.readString(sourceArtifacts.resolve("reports/summary.txt")),
                            Files.readString(copy.localArtifactDirectory(id).orElseThrow().resolve("reports/summary.txt")));
                    assertTrue(copy.localArtifactDirectory(id).orElseThrow().startsWith(db.getParent().resolve("mlruns")));
                }
            }
        }

        Result again = sync(mlruns.toString(), "sqlite:///" + db);
        assertEquals(0, again.exit, again.out);
        assertTrue(again.out.contains("0 run(s) created, 3 already there, 0 metric point(s) sent, 21 already there"), again.out);
        assertEquals(3, single(db, "SELECT count(*) FROM runs"));
    }

    @Test
    void a_point_logged_twice_on_purpose_is_not_sent_again_by_a_second_sync() throws Exception {
        Path mlruns = dir.resolve("mlruns");
        try (MlflowFileStore store = new MlflowFileStore(mlruns)) {
            String run = store.createRun(store.getOrCreateExperiment("twice", Map.of()), "r", 1L, Map.of());
            MetricPoint p = new MetricPoint("loss", 0.5, 1, 100L);
            store.logMetrics(run, List.of(p, p, new MetricPoint("loss", 0.4, 2, 200L)));
        }
        Path db = dir.resolve("mlflow.db");
        assertEquals(0, sync(mlruns.toString(), "sqlite:///" + db).exit);
        Result again = sync(mlruns.toString(), "sqlite:///" + db);
        assertTrue(again.out.contains("0 metric point(s) sent"), again.out);
        assertEquals(2, single(db, "SELECT count(*) FROM metrics"), "SQL stores keep a repeated point once, as MLflow");
    }

    @Test
    void a_database_mlflow_wrote_copies_to_a_file_store_and_to_a_server() throws Exception {
        Path golden = Golden.MASTER.path();
        Path mlruns = dir.resolve("mlruns");
        Result toFiles = sync("sqlite:///" + golden, mlruns.toString());
        assertEquals(0, toFiles.exit, toFiles.out);
        assertTrue(toFiles.out.contains("3 run(s) created"), toFiles.out);
        try (MlflowFileStore files = new MlflowFileStore(mlruns)) {
            String experiment = files.findExperimentByName("cinelab-golden").orElseThrow().experimentId();
            Map<String, RunStatus> status = new HashMap<>();
            for (RunInfo run : files.listRuns(experiment)) status.put(run.runName(), run.status());
            assertEquals(Map.of("parent", RunStatus.FINISHED, "child-1", RunStatus.FINISHED, "child-2", RunStatus.KILLED), status);
        }
        try (FakeMlflowServer fake = FakeMlflowServer.started()) {
            Result toServer = sync("sqlite:///" + golden, fake.uri());
            assertEquals(0, toServer.exit, toServer.out);
            String experiment = fake.experimentId("cinelab-golden");
            assertEquals(3, fake.runIds(experiment).size());
            long nan = fake.runIds(experiment).stream().flatMap(id -> fake.metrics(id).getOrDefault("loss", List.of()).stream())
                    .filter(p -> Double.isNaN(p[2])).count();
            assertEquals(1, nan);
        }
    }

    @Test
    void syncing_from_a_missing_or_foreign_database_is_bad_input_naming_it() throws Exception {
        Result missing = sync("sqlite:///" + dir.resolve("none.db"), dir.resolve("out").toString());
        assertEquals(Main.EXIT_BAD_INPUT, missing.exit);
        assertTrue(missing.out.contains("there is no SQLite database at " + dir.resolve("none.db")), missing.out);
        Path notes = Files.writeString(dir.resolve("notes.db"), "not a database\n".repeat(300));
        Result foreign = sync("sqlite:///" + notes, dir.resolve("out").toString());
        assertEquals(Main.EXIT_BAD_INPUT, foreign.exit);
        assertTrue(foreign.out.contains(notes + ": it is not an SQLite database"), foreign.out);
        assertTrue(!foreign.out.contains("Exception"), foreign.out);
    }

    record Result(int exit, String out) {}

    static Result sync(String store, String to) {
        CommandLine cl = Main.commandLine();
        StringWriter out = new StringWriter();
        cl.setOut(new PrintWriter(out));
        cl.setErr(new PrintWriter(out));
        int exit = cl.execute("sync", store, "--to", to);
        return new Result(exit, out.toString());
    }

    static Path copyTree(Path source, Path target) throws Exception {
        try (Stream<Path> paths = Files.walk(source)) {
            for (Path p : paths.toList()) {
                Path dest = target.resolve(source.relativize(p).toString());
                if (Files.isDirectory(p)) Files.createDirectories(dest);
                else Files.copy(p, dest);
            }
        }
        return target;
    }
}
