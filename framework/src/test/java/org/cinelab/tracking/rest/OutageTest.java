package org.cinelab.tracking.rest;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.cinelab.runner.ExperimentResult;
import org.cinelab.spec.ExperimentSpec;
import org.cinelab.testsupport.ForwardingTracker;
import org.cinelab.tracking.MetricPoint;
import org.cinelab.tracking.MlflowFileStore;
import org.cinelab.tracking.Tracker;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The tracking server goes away in the middle of an experiment run by the real runner and comes
 * back on the same port: every metric point must end up on it, through retries when the outage is
 * short, through the local spool and its replay when it is not. The server is
 * {@link FakeMlflowServer}, the in-process MLflow stand-in built from the recorded REST behaviour of
 * real servers; stopping it refuses connections like a dead server.
 */
class OutageTest {
    @TempDir
    Path tmp;

    @Test
    void a_short_outage_is_bridged_by_retries_and_nothing_is_spooled() throws Exception {
        ExperimentSpec spec = RunnerLogging.spec(tmp.resolve("spec"), RunnerLogging.SPEC);
        Map<String, String> expected = reference(spec);
        try (FakeMlflowServer fake = FakeMlflowServer.started()) {
            RestSettings settings = settings(fake, new RetryPolicy(100, Duration.ofMillis(20), Duration.ofMillis(100)));
            List<String> notices = new ArrayList<>();
            ExperimentResult result;
            try (RestTracker rest = new RestTracker(settings, notices::add, true)) {
                Tracker flaky = new OutageOnMetrics(rest, 3, () -> {
                    fake.stop();
                    Thread restart = new Thread(() -> {
                        try {
                            Thread.sleep(300);
                            fake.start();
                        } catch (Exception e) {
                            throw new RuntimeException(e);
                        }
                    });
                    restart.start();
                }, Integer.MAX_VALUE, () -> {});
                result = RunnerLogging.run(spec, flaky, RunnerLogging.data(tmp), tmp.resolve("state"));
                assertFalse(rest.isSpooling(), String.join("\n", notices));
            }
            assertEquals(expected, serverView(fake, settings, result.experimentId()));
        }
    }

    @Test
    void a_long_outage_spools_locally_and_the_spool_reaches_the_server_when_it_is_back(@TempDir Path tmp2) throws Exception {
        ExperimentSpec spec = RunnerLogging.spec(tmp.resolve("spec"), RunnerLogging.SPEC);
        Map<String, String> expected = reference(spec);
        try (FakeMlflowServer fake = FakeMlflowServer.started()) {
            RestSettings settings = settings(fake, new RetryPolicy(2, Duration.ofMillis(5), Duration.ofMillis(5)));
            List<String> notices = new ArrayList<>();
            ExperimentResult result;
            try (RestTracker rest = new RestTracker(settings, notices::add, true)) {
                Tracker flaky = new OutageOnMetrics(rest, 2, fake::stop, 6, () -> {
                    try {
                        fake.start();
                    } catch (IOException e) {
                        throw new RuntimeException(e);
                    }
                });
                result = RunnerLogging.run(spec, flaky, RunnerLogging.data(tmp), tmp.resolve("state"));
                assertTrue(rest.isSpooling());
            }
            assertEquals(1, notices.stream().filter(n -> n.contains("unreachable")).count(), "one warning: " + notices);
            assertTrue(notices.get(0).contains("failed") && notices.get(0).contains("retrying for up to"),
                    "the first failed attempt is told at once: " + notices.get(0));
            assertTrue(notices.stream().filter(n -> n.contains("unreachable")).findFirst().orElseThrow()
                    .contains("cinelab sync " + settings.spoolDir()), notices.toString());
            assertTrue(notices.stream().noneMatch(n -> n.contains("Exception")), "no Java class names: " + notices);
            assertTrue(notices.stream().anyMatch(n -> n.contains("synced")), notices.toString());
            assertEquals(expected, serverView(fake, settings, result.experimentId()));
            // Delivered in full and every run ended: the spool is gone (a second sync adding nothing is SyncCommandTest's).
            assertFalse(java.nio.file.Files.exists(settings.spoolDir()), notices.toString());
            assertTrue(notices.get(notices.size() - 1).endsWith("; removed"), notices.toString());
        }
    }

    private RestSettings settings(FakeMlflowServer fake, RetryPolicy retry) {
        return RestSettings.from(fake.uri(), Map.of()).withRetry(retry)
                .withTimeouts(Duration.ofSeconds(2), Duration.ofSeconds(5)).withSpoolDir(tmp.resolve("spool"));
    }

    private Map<String, String> reference(ExperimentSpec spec) throws Exception {
        try (MlflowFileStore store = new MlflowFileStore(tmp.resolve("reference"))) {
            ExperimentResult r = RunnerLogging.run(spec, store, RunnerLogging.data(tmp), tmp.resolve("state-reference"));
            return RunnerLogging.snapshot(store, r.experimentId());
        }
    }

    private static Map<String, String> serverView(FakeMlflowServer fake, RestSettings settings, String experimentId) throws Exception {
        String serverExperiment = experimentId.length() > 10 ? fake.experimentId("rest-parity") : experimentId;
        try (RestTracker reader = new RestTracker(settings.withSpoolDir(settings.spoolDir().resolveSibling("unused")), s -> {}, false)) {
            return new TreeMap<>(RunnerLogging.snapshot(reader, serverExperiment));
        }
    }

    /** Passes everything to a tracker; runs {@code down} before the n-th logMetrics call and {@code up} before the m-th. */
    private static final class OutageOnMetrics extends ForwardingTracker {
        private final int downAt;
        private final Runnable down;
        private final int upAt;
        private final Runnable up;
        private int calls;

        OutageOnMetrics(Tracker delegate, int downAt, Runnable down, int upAt, Runnable up) {
            super(delegate);
            this.downAt = downAt;
            this.down = down;
            this.upAt = upAt;
            this.up = up;
        }

        @Override
        public synchronized void logMetrics(String runId, List<MetricPoint> points) throws IOException {
            calls++;
            if (calls == downAt) down.run();
            if (calls == upAt) up.run();
            delegate.logMetrics(runId, points);
        }
    }
}
