package org.cinelab.tracking.rest;

import org.cinelab.cli.Main;
import org.cinelab.data.sets.SyntheticMovieLens;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** A server that is not there: said at once, and before the first run it is bad input (a typo'd port), not an outage. */
class UnreachableServerTest {

    private static int freePort() throws Exception {
        try (ServerSocket s = new ServerSocket(0)) {
            return s.getLocalPort();
        }
    }

    @Test
    void theFirstFailedAttemptIsToldAtOnceWithWhatWhereAndHowLongItWillRetry(@TempDir Path tmp) throws Exception {
        String uri = "http://127.0.0.1:" + freePort();
        List<String> notices = new ArrayList<>();
        RestSettings settings = RestSettings.from(uri, Map.of()).withRetry(new RetryPolicy(3, Duration.ofMillis(10), Duration.ofMillis(20)))
                .withSpoolDir(tmp.resolve("spool"));
        try (RestTracker tracker = new RestTracker(settings, notices::add, false)) {
            tracker.getOrCreateExperiment("e", Map.of());
        }
        assertTrue(notices.get(0).startsWith("MLflow server " + uri + ": experiments/get-by-name failed: connection refused"
                + " (nothing listens there); retrying for up to 0 s (3 attempts"), notices.toString());
        assertTrue(notices.get(0).endsWith("then CineLab logs to the local spool " + tmp.resolve("spool") + " and loses nothing"),
                notices.toString());
        assertTrue(notices.get(1).contains("is unreachable"), "then the spool notice: " + notices);
    }

    @Test
    void beforeTheFirstRunARefusedConnectionIsAnErrorUnlessTheSpoolIsAsked(@TempDir Path tmp) throws Exception {
        String uri = "http://127.0.0.1:" + freePort();
        RestSettings settings = RestSettings.from(uri, Map.of()).withSpoolDir(tmp.resolve("spool"));
        try (RestTracker tracker = new RestTracker(settings, m -> { }, false)) {
            tracker.failFastBeforeFirstRun(true);
            RestTracker.Unreachable e = assertThrows(RestTracker.Unreachable.class, () -> tracker.getOrCreateExperiment("e", Map.of()));
            assertTrue(e.getMessage().startsWith("cannot reach the MLflow server " + uri + ": connection refused"), e.getMessage());
            assertTrue(e.getMessage().endsWith("run with --spool"), e.getMessage());
            assertFalse(Files.exists(tmp.resolve("spool")), "nothing spooled");
        }
    }

    @Test
    void cinelabRunWithATyposPortExitsWithBadInputAndLogsNothing(@TempDir Path tmp) throws Exception {
        Path data = tmp.resolve("data");
        SyntheticMovieLens.write(data, 2_000, 500, 1);
        Path spec = Files.writeString(tmp.resolve("spec.yaml"), """
                experiment: {name: typo}
                dataset: {name: movielens-100k, split: u1}
                model: {type: biased-mf}
                search: {max_epochs: 1}
                """);
        StringWriter err = new StringWriter();
        CommandLine cl = Main.commandLine();
        cl.setErr(new PrintWriter(err));
        cl.setOut(new PrintWriter(new StringWriter()));
        int exit = cl.execute("run", spec.toString(), "--tracking-uri", "http://127.0.0.1:" + freePort(),
                "--data-dir", data.toString(), "--state-dir", tmp.resolve("state").toString());
        assertEquals(Main.EXIT_BAD_INPUT, exit, err.toString());
        assertTrue(err.toString().contains("connection refused"), err.toString());
        assertTrue(err.toString().contains("--spool"), err.toString());
    }
}
