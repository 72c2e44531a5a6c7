package org.cinelab.tracking.rest;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.cinelab.tracking.MetricPoint;
import org.cinelab.tracking.MlflowFileStore;
import org.cinelab.tracking.RunStatus;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A spool is deleted after a replay that delivered all of it, and only then: a replay that failed
 * part-way, or a spool whose runs can still be written to or resumed, stays as it was.
 */
class SpoolRemovalTest {
    private static final long T0 = 1_795_643_931_000L;

    @TempDir
    Path tmp;

    private final List<String> notices = new ArrayList<>();

    private RestSettings settings(FakeMlflowServer fake) {
        return RestSettings.from(fake.uri(), Map.of()).withRetry(new RetryPolicy(1, Duration.ofMillis(1), Duration.ofMillis(1)))
                .withTimeouts(Duration.ofSeconds(2), Duration.ofSeconds(5)).withSpoolDir(tmp.resolve("spool"));
    }

    /** Logs one run with the server down (so into the spool), ends it with {@code status}, and returns the tracker still open. */
    private RestTracker spooledRun(FakeMlflowServer fake, RunStatus status) throws Exception {
        fake.stop();
        RestTracker tracker = new RestTracker(settings(fake), notices::add, true);
        String experiment = tracker.getOrCreateExperiment("outage", Map.of());
        String run = tracker.createRun(experiment, "r", T0, Map.of());
        tracker.logParams(run, Map.of("lr", "0.01"));
        tracker.logMetrics(run, List.of(new MetricPoint("loss", 0.5, 1, T0 + 1), new MetricPoint("loss", 0.4, 2, T0 + 2)));
        tracker.setRunStatus(run, status, T0 + 3);
        assertTrue(tracker.isSpooling());
        fake.start();
        return tracker;
    }

    private static List<String> tree(Path dir) throws Exception {
        try (Stream<Path> walk = Files.walk(dir)) {
            return walk.map(p -> dir.relativize(p).toString()).sorted().toList();
        }
    }

    @Test
    void a_spool_replayed_in_full_is_removed() throws Exception {
        try (FakeMlflowServer fake = FakeMlflowServer.started()) {
            spooledRun(fake, RunStatus.FINISHED).close();
            String experiment = fake.experimentId("outage");
            assertEquals(1, fake.runIds(experiment).size());
            assertEquals(2, fake.metricPointCount());
        }
        assertFalse(Files.exists(tmp.resolve("spool")), notices.toString());
        assertTrue(notices.get(notices.size() - 1).endsWith("synced (1 run(s) created, 0 already there, 2 metric point(s) sent,"
                + " 0 already there, 0 artifact(s)); removed"), notices.toString());
    }

    @Test
    void a_replay_that_fails_part_way_removes_nothing() throws Exception {
        try (FakeMlflowServer fake = FakeMlflowServer.started()) {
            RestTracker tracker = spooledRun(fake, RunStatus.FINISHED);
            // A second run that cannot be delivered: it continues a server run the server does not have.
            try (MlflowFileStore spool = new MlflowFileStore(tmp.resolve("spool"))) {
                String experiment = spool.findExperimentByName("outage").orElseThrow().experimentId();
                String orphan = spool.createRun(experiment, "orphan", T0 + 10,
                        Map.of(Spool.TARGET_RUN_TAG, "0123456789abcdef0123456789abcdef"));
                spool.setRunStatus(orphan, RunStatus.FINISHED, T0 + 11);
            }
            List<String> before = tree(tmp.resolve("spool"));
            tracker.close();
            assertEquals(1, fake.runIds(fake.experimentId("outage")).size(), "the first run did reach the server");
            assertEquals(before, tree(tmp.resolve("spool")), "the spool is left exactly as it was");
        }
        assertTrue(notices.get(notices.size() - 1).startsWith("Could not sync the spool"), notices.toString());
    }

    @Test
    void a_spool_with_a_killed_run_is_replayed_but_kept_for_resume() throws Exception {
        try (FakeMlflowServer fake = FakeMlflowServer.started()) {
            spooledRun(fake, RunStatus.KILLED).close();
            assertEquals(1, fake.runIds(fake.experimentId("outage")).size());
        }
        assertTrue(Files.isDirectory(tmp.resolve("spool")));
        assertTrue(notices.get(notices.size() - 1).endsWith("kept, as 1 run(s) in it are still RUNNING or KILLED (being logged to,"
                + " or resumable with --resume); sync it again once they have ended"), notices.toString());
    }
}
