package org.cinelab.cli;

import org.cinelab.testing.SharedData;
import org.cinelab.tracking.MlflowFileStore;
import org.cinelab.tracking.RunInfo;
import org.cinelab.tracking.RunStatus;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import static org.junit.jupiter.api.Assertions.*;

/** The README's main command on the real MovieLens-100k u1 split, as a user runs it. */
class QuickstartEndToEndTest {

    @Test
    void theQuickstartReachesSurpriseLevelTestRmseAndLogsEveryTrial(@TempDir Path tmp) throws Exception {
        Path data = SharedData.require();
        Path spec = repoRoot().resolve("experiments/quickstart.yaml");
        Path mlruns = tmp.resolve("mlruns");
        CliTest.Outcome o = CliTest.run("run", spec.toString(), "--tracking-uri", "file:" + mlruns,
                "--data-dir", data.toString(), "--state-dir", tmp.resolve("state").toString());
        assertEquals(0, o.exit(), o.err());
        try (MlflowFileStore store = new MlflowFileStore(mlruns)) {
            var exp = store.findExperimentByName("quickstart").orElseThrow();
            List<RunInfo> runs = store.listRuns(exp.experimentId());
            assertEquals(49 + 1, runs.size());
            assertTrue(runs.stream().allMatch(r -> r.status() == RunStatus.FINISHED));
            RunInfo parent = runs.stream().filter(r -> r.runName().startsWith("quickstart ")).findFirst().orElseThrow();
            double testRmse = store.getMetricHistory(parent.runId(), "best_test_rmse").get(0).value();
            assertTrue(testRmse < 0.95, "best trial's test RMSE " + testRmse);
            assertTrue(Files.exists(mlruns.resolve(exp.experimentId()).resolve(parent.runId()).resolve("artifacts/learning_curves.png")));
        }
    }

    static Path repoRoot() {
        for (Path p = Path.of("").toAbsolutePath(); p != null; p = p.getParent()) {
            if (Files.exists(p.resolve("experiments/quickstart.yaml"))) return p;
        }
        throw new IllegalStateException("experiments/quickstart.yaml not found above " + Path.of("").toAbsolutePath());
    }
}
