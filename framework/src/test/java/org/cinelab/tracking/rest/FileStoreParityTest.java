package org.cinelab.tracking.rest;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Map;
import org.cinelab.runner.ExperimentResult;
import org.cinelab.spec.ExperimentSpec;
import org.cinelab.tracking.MlflowFileStore;
import org.cinelab.tracking.RunInfo;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The same experiment, run by the real {@link org.cinelab.runner.ExperimentRunner} on generated
 * data, logged once to the local file store and once to {@link FakeMlflowServer} (the in-process
 * MLflow stand-in that follows the recorded REST behaviour of real servers) through
 * {@link RestTracker}, yields the same runs, params, tags, metrics at every step and artifacts.
 */
class FileStoreParityTest {

    @Test
    void an_experiment_logged_to_a_server_equals_the_same_experiment_in_the_file_store(@TempDir Path tmp) throws Exception {
        ExperimentSpec spec = RunnerLogging.spec(tmp.resolve("spec"), RunnerLogging.SPEC);
        Path data = RunnerLogging.data(tmp);
        try (FakeMlflowServer fake = FakeMlflowServer.started();
             MlflowFileStore store = new MlflowFileStore(tmp.resolve("mlruns"))) {
            ExperimentResult local = RunnerLogging.run(spec, store, data, tmp.resolve("state-local"));
            RestSettings settings = RestSettings.from(fake.uri(), Map.of())
                    .withRetry(new RetryPolicy(2, Duration.ofMillis(5), Duration.ofMillis(5))).withSpoolDir(tmp.resolve("spool"));
            ExperimentResult remote;
            Map<String, String> remoteSnapshot;
            try (RestTracker tracker = new RestTracker(settings, s -> {}, false)) {
                remote = RunnerLogging.run(spec, tracker, data, tmp.resolve("state-remote"));
                remoteSnapshot = RunnerLogging.snapshot(tracker, remote.experimentId());
                assertFalse(tracker.isSpooling());
            }
            Map<String, String> localSnapshot = RunnerLogging.snapshot(store, local.experimentId());
            assertEquals(3, localSnapshot.size(), "a parent and two trials");
            assertEquals(localSnapshot, remoteSnapshot);

            for (RunInfo run : store.listRuns(local.experimentId())) {
                String serverRun = new ArrayList<>(fake.runIds(remote.experimentId())).stream()
                        .filter(id -> fake.tags(id).get("mlflow.runName").equals(run.runName())).findFirst().orElseThrow();
                Map<String, byte[]> uploaded = fake.artifacts(serverRun);
                assertEquals(RunnerLogging.artifactPaths(store.root(), local.experimentId(), run.runId()),
                        new ArrayList<>(uploaded.keySet()), run.runName());
                for (String path : uploaded.keySet()) {
                    if (path.endsWith(".png")) continue; // rendered charts may differ in encoder details
                    byte[] expected = Files.readAllBytes(store.root().resolve(local.experimentId()).resolve(run.runId())
                            .resolve("artifacts").resolve(path));
                    if (path.endsWith(".csv")) { // the trial table names run ids, which differ between stores
                        assertEquals(withoutRunIds(expected), withoutRunIds(uploaded.get(path)), run.runName() + " " + path);
                    } else {
                        assertArrayEquals(expected, uploaded.get(path), run.runName() + " " + path);
                    }
                }
            }
        }
    }

    private static String withoutRunIds(byte[] content) {
        return new String(content, java.nio.charset.StandardCharsets.UTF_8).replaceAll("[0-9a-f]{32}", "<run id>");
    }
}
