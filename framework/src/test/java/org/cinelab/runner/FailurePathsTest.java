package org.cinelab.runner;

import org.cinelab.spec.ExperimentSpec;
import org.cinelab.testsupport.Mounts;
import org.cinelab.tracking.MetricPoint;
import org.cinelab.tracking.MlflowFileStore;
import org.cinelab.tracking.RunInfo;
import org.cinelab.tracking.RunStatus;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

import static org.cinelab.runner.RunnerFixture.QUIET;
import static org.cinelab.runner.RunnerFixture.options;
import static org.cinelab.runner.RunnerFixture.spec;
import static org.cinelab.runner.RunnerFixture.syntheticData;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Read-only and full state and tracking directories (real tmpfs mounts): the error names the path
 * and says what is wrong, every run the execution opened ends FAILED (never RUNNING), nothing logged
 * is corrupted, and once there is room again {@code --resume} completes the search.
 */
class FailurePathsTest {
    private static final String SPEC = RunnerFixture.HYPERBAND_SPEC.replace("params: {factors: 8}", "params: {factors: 16}");

    @Test
    void aReadOnlyStateDirectoryIsRefusedBeforeAnyRunIsOpened(@TempDir Path tmp) throws Exception {
        ExperimentSpec spec = spec(tmp, SPEC);
        Path state = tmp.resolve("state");
        try (Mounts ro = Mounts.readOnly(state); MlflowFileStore store = new MlflowFileStore(tmp.resolve("mlruns"))) {
            var e = assertThrows(ExperimentRunner.UnwritableException.class,
                    () -> new ExperimentRunner(spec, store, options(syntheticData(tmp), state)).run());
            assertTrue(e.getMessage().startsWith("cannot use the state directory " + state), e.getMessage());
            assertTrue(e.getMessage().contains("read-only file system"), e.getMessage());
            assertTrue(e.getMessage().endsWith("give a writable one with --state-dir"), e.getMessage());
            assertTrue(store.findExperimentByName("runner-test").isEmpty(), "nothing logged");
        }
    }

    @Test
    void aReadOnlyTrackingStoreIsRefusedBeforeAnyRunIsOpened(@TempDir Path tmp) throws Exception {
        ExperimentSpec spec = spec(tmp, SPEC);
        Path mlruns = tmp.resolve("mlruns");
        try (Mounts ro = mountReadOnlyStore(mlruns); MlflowFileStore store = new MlflowFileStore(mlruns)) {
            var e = assertThrows(ExperimentRunner.UnwritableException.class,
                    () -> new ExperimentRunner(spec, store, options(syntheticData(tmp), tmp.resolve("state"))).run());
            assertTrue(e.getMessage().startsWith("cannot log to MLflow file store " + mlruns.toRealPath()), e.getMessage());
            assertTrue(e.getMessage().contains("read-only file system"), e.getMessage());
        }
    }

    @Test
    void aStateDirectoryThatFillsUpEndsEveryOpenRunFailedAndResumesOnceThereIsRoom(@TempDir Path tmp) throws Exception {
        ExperimentSpec spec = spec(tmp, SPEC);
        Path data = syntheticData(tmp);
        Path state = tmp.resolve("state");
        try (Mounts full = Mounts.full(state, 2048); MlflowFileStore store = new MlflowFileStore(tmp.resolve("mlruns"))) {
            var e = assertThrows(java.io.IOException.class, () -> new ExperimentRunner(spec, store, options(data, state)).run());
            assertTrue(e.getMessage().startsWith(state.toString()), e.getMessage());
            assertTrue(e.getMessage().contains("no space left on device"), e.getMessage());
            String experimentId = store.findExperimentByName("runner-test").orElseThrow().experimentId();
            List<RunInfo> runs = store.listRuns(experimentId);
            assertFalse(runs.isEmpty());
            assertTrue(runs.stream().noneMatch(r -> r.status() == RunStatus.RUNNING), "no run left RUNNING: " + runs);
            assertTrue(runs.stream().anyMatch(r -> r.status() == RunStatus.FAILED));
            String parent = new StateStore(state).readExperiment().parentRunId;
            assertTrue(store.getTags(parent).get("cinelab.failure").contains("no space left on device"));

            Mounts.resize(state, 65536);
            var resumed = new ExperimentRunner(spec, store, new RunOptions(1, true, data, state, QUIET)).run();
            assertEquals(parent, resumed.parentRunId());
            assertAllFinishedWithoutRepeatedSteps(store, experimentId);
        }
    }

    @Test
    void aTrackingStoreThatFillsUpEndsEveryOpenRunFailed(@TempDir Path tmp) throws Exception {
        ExperimentSpec spec = spec(tmp, SPEC);
        Path data = syntheticData(tmp);
        Path mlruns = tmp.resolve("mlruns");
        try (Mounts full = Mounts.full(mlruns, 1024); MlflowFileStore store = new MlflowFileStore(mlruns)) {
            var e = assertThrows(java.io.IOException.class, () -> new ExperimentRunner(spec, store, options(data, tmp.resolve("state"))).run());
            assertTrue(e.getMessage().startsWith(mlruns.toRealPath().toString()), e.getMessage());
            assertTrue(e.getMessage().contains("no space left on device"), e.getMessage());
            String experimentId = store.findExperimentByName("runner-test").orElseThrow().experimentId();
            List<RunInfo> runs = store.listRuns(experimentId);
            assertTrue(runs.stream().noneMatch(r -> r.status() == RunStatus.RUNNING), "no run left RUNNING: " + runs);
            for (RunInfo r : runs) {
                for (String key : store.getMetricKeys(r.runId())) store.getMetricHistory(r.runId(), key);  // every line parses
            }

            Mounts.resize(mlruns, 65536);
            var resumed = new ExperimentRunner(spec, store, new RunOptions(1, true, data, tmp.resolve("state"), QUIET)).run();
            assertAllFinishedWithoutRepeatedSteps(store, resumed.experimentId());
        }
    }

    private static Mounts mountReadOnlyStore(Path mlruns) throws Exception {
        Mounts m = Mounts.full(mlruns, 1024);
        new MlflowFileStore(mlruns).close();
        Mounts.remountReadOnly(mlruns);
        return m;
    }

    private static void assertAllFinishedWithoutRepeatedSteps(MlflowFileStore store, String experimentId) throws Exception {
        for (RunInfo r : store.listRuns(experimentId)) {
            assertEquals(RunStatus.FINISHED, r.status(), r.runName());
            for (String key : store.getMetricKeys(r.runId())) {
                Set<Long> steps = new HashSet<>();
                for (MetricPoint p : store.getMetricHistory(r.runId(), key)) {
                    assertTrue(steps.add(p.step()), r.runName() + " logged " + key + " step " + p.step() + " twice");
                }
            }
        }
    }
}
