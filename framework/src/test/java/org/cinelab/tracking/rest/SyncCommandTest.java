package org.cinelab.tracking.rest;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.cinelab.cli.Main;
import org.cinelab.tracking.MetricPoint;
import org.cinelab.tracking.MlflowFileStore;
import org.cinelab.tracking.RunStatus;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

/**
 * {@code cinelab sync STORE --to URI} copies a local file store to {@link FakeMlflowServer} (the
 * in-process MLflow stand-in with the recorded REST behaviour of real servers); a second sync
 * creates no runs and sends no points.
 */
class SyncCommandTest {

    @Test
    void syncing_a_local_store_twice_copies_it_once(@TempDir Path tmp) throws Exception {
        Path mlruns = tmp.resolve("mlruns");
        String parent;
        String child;
        try (MlflowFileStore store = new MlflowFileStore(mlruns)) {
            String experiment = store.getOrCreateExperiment("laptop", Map.of("mlflow.note.content", "from a laptop"));
            parent = store.createRun(experiment, "parent", 1000L, Map.of("mlflow.user", "ann"));
            child = store.createRun(experiment, "child", 2000L, Map.of("mlflow.parentRunId", parent));
            store.logParams(child, Map.of("lr", "0.01"));
            store.logMetrics(child, List.of(new MetricPoint("loss", 0.5, 1, 2100L), new MetricPoint("loss", Double.NaN, 2, 2200L),
                    new MetricPoint("loss", 0.5, 1, 2100L)));
            store.logArtifact(child, "reports/summary.txt", Files.writeString(tmp.resolve("s.txt"), "summary"));
            store.setRunStatus(child, RunStatus.FINISHED, 3000L);
            store.setRunStatus(parent, RunStatus.FINISHED, 3100L);
        }
        try (FakeMlflowServer fake = FakeMlflowServer.started()) {
            assertEquals(0, sync(mlruns, fake.uri()).exit);
            String experiment = fake.experimentId("laptop");
            List<String> runs = fake.runIds(experiment);
            assertEquals(2, runs.size());
            String serverChild = runs.stream().filter(id -> fake.tags(id).get("mlflow.runName").equals("child")).findFirst().orElseThrow();
            String serverParent = runs.stream().filter(id -> !id.equals(serverChild)).findFirst().orElseThrow();
            assertEquals(serverParent, fake.tags(serverChild).get("mlflow.parentRunId"), "the parent link points at the server's parent");
            assertEquals(child, fake.tags(serverChild).get(Spool.SOURCE_RUN_TAG));
            assertEquals(Map.of("lr", "0.01"), fake.params(serverChild));
            assertEquals(3, fake.metrics(serverChild).get("loss").size(), "a point logged twice on purpose stays twice");
            assertEquals("summary", new String(fake.artifacts(serverChild).get("reports/summary.txt"), StandardCharsets.UTF_8));
            int points = fake.metricPointCount();

            Result again = sync(mlruns, fake.uri());
            assertEquals(0, again.exit);
            assertTrue(again.out.contains("0 run(s) created, 2 already there, 0 metric point(s) sent"), again.out);
            assertEquals(2, fake.runIds(experiment).size());
            assertEquals(points, fake.metricPointCount());
        }
    }

    @Test
    void the_golden_file_store_written_by_mlflow_itself_syncs_with_its_nan_and_infinity(@TempDir Path tmp) throws Exception {
        Path golden = GoldenTranscriptReplayTest.goldenDir().resolve("filestore-2.17");
        Path copy = tmp.resolve("mlruns");
        try (Stream<Path> paths = Files.walk(golden)) {
            for (Path p : paths.toList()) {
                Path dest = copy.resolve(golden.relativize(p).toString());
                if (Files.isDirectory(p)) Files.createDirectories(dest);
                else Files.copy(p, dest);
            }
        }
        try (FakeMlflowServer fake = FakeMlflowServer.started()) {
            assertEquals(0, sync(copy, fake.uri()).exit);
            String experiment = fake.experimentId("cinelab-golden-fs");
            assertEquals(3, fake.runIds(experiment).size());
            long nan = fake.runIds(experiment).stream().flatMap(id -> fake.metrics(id).getOrDefault("loss", List.of()).stream())
                    .filter(p -> Double.isNaN(p[2])).count();
            assertEquals(1, nan);
            assertEquals(0, sync(copy, fake.uri()).exit);
            assertEquals(3, fake.runIds(experiment).size());
        }
    }

    @Test
    void a_store_that_is_not_a_directory_or_a_target_that_is_not_a_server_is_bad_input(@TempDir Path tmp) {
        assertEquals(Main.EXIT_BAD_INPUT, sync(tmp.resolve("missing"), "http://127.0.0.1:1").exit);
        assertEquals(Main.EXIT_BAD_INPUT, sync(tmp, "postgresql://u@h/db").exit);
        assertEquals(Main.EXIT_BAD_INPUT, sync(tmp, tmp.toString()).exit, "a store copied onto itself");
    }

    private record Result(int exit, String out) {}

    private static Result sync(Path store, String uri) {
        CommandLine cl = Main.commandLine();
        StringWriter out = new StringWriter();
        cl.setOut(new PrintWriter(out));
        cl.setErr(new PrintWriter(out));
        int exit = cl.execute("sync", store.toString(), "--to", uri);
        return new Result(exit, out.toString());
    }
}
