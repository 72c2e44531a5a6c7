package org.cinelab.runner;

import org.cinelab.data.sets.SyntheticMovieLens;
import org.cinelab.spec.ExperimentSpec;
import org.cinelab.tracking.MlflowFileStore;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import static org.cinelab.runner.RunnerFixture.options;
import static org.cinelab.runner.RunnerFixture.spec;
import static org.cinelab.runner.RunnerFixture.syntheticData;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** A run re-run from its record gives the same numbers, a changed number is found, other data is refused. */
class ReproductionTest {
    private static final String SPEC = RunnerFixture.HYPERBAND_SPEC.replace("scheduler: hyperband",
            "scheduler: hyperband\n  early_stopping: {patience: 2}");

    @Test
    void aTrialAndAWholeExecutionReproduceBitForBitAndATamperedMetricIsFound(@TempDir Path tmp) throws Exception {
        ExperimentSpec spec = spec(tmp, SPEC);
        Path data = syntheticData(tmp);
        try (MlflowFileStore store = new MlflowFileStore(tmp.resolve("mlruns"))) {
            ExperimentResult r = new ExperimentRunner(spec, store, options(data, tmp.resolve("state"))).run();
            Reproduction again = new Reproduction(store, data, new PrintWriter(new StringWriter()));

            Reproduction.Outcome trial = again.reproduce(r.best().runId());
            assertEquals(List.of(), trial.differences());
            assertTrue(trial.compared() >= 3 * r.best().epochs(), "train_loss, val_rmse and val_mae per epoch, and test: " + trial.compared());

            Reproduction.Outcome execution = again.reproduce(r.parentRunId());
            assertEquals(List.of(), execution.differences());
            assertTrue(execution.compared() > trial.compared());

            Path metric = tmp.resolve("mlruns").resolve(r.experimentId()).resolve(r.best().runId()).resolve("metrics").resolve("test_rmse");
            String line = Files.readString(metric).strip();
            String[] parts = line.split(" ");
            Files.writeString(metric, parts[0] + " " + (Double.parseDouble(parts[1]) + 1e-3) + " " + parts[2] + "\n");
            Reproduction.Outcome tampered = again.reproduce(r.best().runId());
            assertEquals(1, tampered.differences().size(), tampered.differences().toString());
            assertEquals("test_rmse@" + parts[2], tampered.differences().get(0).key());
            assertEquals(1e-3, tampered.maxAbsolute(), 1e-9);
            assertFalse(tampered.equalWithin(1e-4));
            assertTrue(tampered.equalWithin(2e-3));
        }
    }

    @Test
    void dataWithAnotherChecksumIsRefusedNamingBoth(@TempDir Path tmp) throws Exception {
        ExperimentSpec spec = spec(tmp, SPEC.replace("max_epochs: 9", "max_epochs: 1"));
        Path data = syntheticData(tmp);
        Path other = tmp.resolve("other");
        SyntheticMovieLens.write(other, 6000, 1500, 6);
        try (MlflowFileStore store = new MlflowFileStore(tmp.resolve("mlruns"))) {
            ExperimentResult r = new ExperimentRunner(spec, store, options(data, tmp.resolve("state"))).run();
            var e = assertThrows(Reproduction.Refused.class,
                    () -> new Reproduction(store, other, new PrintWriter(new StringWriter())).reproduce(r.best().runId()));
            assertTrue(e.getMessage().startsWith("the data in " + other + " is not the data the run used"), e.getMessage());
            assertTrue(e.getMessage().contains(store.getTags(r.best().runId()).get("cinelab.dataset_sha256")), e.getMessage());
            assertThrows(Reproduction.Refused.class,
                    () -> new Reproduction(store, data, new PrintWriter(new StringWriter())).reproduce("0123456789abcdef0123456789abcdef"));
        }
    }
    @Test
    void aRetiredSettingLoggedByAnOlderVersionIsANoteNotADifference(@TempDir Path tmp) throws Exception {
        ExperimentSpec spec = spec(tmp, SPEC.replace("max_epochs: 9", "max_epochs: 1"));
        Path data = syntheticData(tmp);
        try (MlflowFileStore store = new MlflowFileStore(tmp.resolve("mlruns"))) {
            ExperimentResult r = new ExperimentRunner(spec, store, options(data, tmp.resolve("state"))).run();
            // Runs made before threads became a run option logged blas_threads with every trial.
            for (var run : store.listRuns(r.experimentId())) {
                if (!run.runId().equals(r.parentRunId())) store.logParams(run.runId(), java.util.Map.of("blas_threads", "0"));
            }
            // ... and their logged spec.yaml set it under model.params.
            Path logged = tmp.resolve("mlruns").resolve(r.experimentId()).resolve(r.parentRunId()).resolve("artifacts").resolve("spec.yaml");
            String yaml = Files.readString(logged);
            assertTrue(yaml.contains("  params:\n"), yaml);
            Files.writeString(logged, yaml.replaceFirst("  params:\n", "  params:\n    blas_threads: 0\n"));
            Reproduction.Outcome execution = new Reproduction(store, data, new PrintWriter(new StringWriter())).reproduce(r.parentRunId());
            assertEquals(List.of(), execution.differences());
            assertTrue(execution.notes().contains("the logged spec sets model.params.blas_threads, no longer a setting; re-run without it"),
                    execution.notes().toString());
            Reproduction.Outcome trial = new Reproduction(store, data, new PrintWriter(new StringWriter())).reproduce(r.best().runId());
            assertEquals(List.of(), trial.differences());
            assertTrue(execution.notes().stream().anyMatch(n -> n.startsWith("params.blas_threads (0) is no longer logged: ")
                    && n.contains("cinelab run --threads N")), execution.notes().toString());
        }
    }

    @Test
    void otherBlasKernelsAreNamedInTheNotes(@TempDir Path tmp) throws Exception {
        ExperimentSpec spec = spec(tmp, SPEC.replace("max_epochs: 9", "max_epochs: 1"));
        Path data = syntheticData(tmp);
        try (MlflowFileStore store = new MlflowFileStore(tmp.resolve("mlruns"))) {
            ExperimentResult r = new ExperimentRunner(spec, store, options(data, tmp.resolve("state"))).run();
            String now = org.cinelab.runner.Provenance.openBlasCoreType();
            assertEquals(now, store.getTags(r.parentRunId()).get("cinelab.openblas_coretype"), "recorded on every run");
            store.setTags(r.parentRunId(), java.util.Map.of("cinelab.openblas_coretype", now.equals("Haswell") ? "Zen" : "Haswell"));
            Reproduction.Outcome execution = new Reproduction(store, data, new PrintWriter(new StringWriter())).reproduce(r.parentRunId());
            assertTrue(execution.notes().stream().anyMatch(n -> n.startsWith("cinelab.openblas_coretype was ") && n.endsWith(", is " + now)),
                    execution.notes().toString());
        }
    }
}
