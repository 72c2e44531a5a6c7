package org.cinelab.bench;

import org.cinelab.data.sets.DatasetRegistry;
import org.cinelab.data.DatasetRequest;
import org.cinelab.data.PreparedData;
import org.cinelab.data.sets.SyntheticMovieLens;
import org.cinelab.space.Hyperparams;
import org.cinelab.models.ModelFactory;
import org.cinelab.models.zoo.ModelRegistry;
import org.cinelab.models.TrialModel;
import org.cinelab.runner.ExperimentRunner;
import org.cinelab.runner.RunOptions;
import org.cinelab.space.Domain;
import org.cinelab.spec.ExperimentSpec;
import org.cinelab.tracking.MlflowFileStore;

import java.io.PrintStream;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

/**
 * Per-trial cost of the runner itself: creating the child run, params, tags, per-epoch metrics,
 * checkpoints, state files, test evaluation and history artifact. Runs N one-epoch trials of a tiny
 * biased-MF model on generated MovieLens-format data, and subtracts the time the same trainings
 * take when called directly.
 */
public final class RunnerOverheadBenchmark implements Benchmark {
    @Override
    public String name() { return "runner"; }

    @Override
    public String description() { return "per-trial overhead of the runner on the file store [--trials N]"; }

    @Override
    public void run(String[] args, PrintStream out) throws Exception {
        int trials = args.length >= 2 && args[0].equals("--trials") ? Integer.parseInt(args[1]) : 200;
        Path tmp = Files.createTempDirectory("cinelab-bench-runner");
        Path data = SyntheticMovieLens.write(tmp.resolve("data"), 8000, 2000, 1);
        ExperimentSpec spec = new ExperimentSpec(tmp.resolve("bench.yaml"), "bench-runner", "runner overhead", 1,
                new ExperimentSpec.DatasetSpec("movielens-100k", "u1", Map.of()),
                new ExperimentSpec.ModelSpec("biased-mf", Map.of("factors", 2)),
                org.cinelab.search.SearchSettings.of("random", trials, "none", 1, 3, 1),
                org.cinelab.space.SearchSpace.of(Map.of("lr", new Domain.LogUniform(0.001, 0.01))),
                new org.cinelab.search.Objective("rmse", org.cinelab.search.Objective.Mode.MIN),
                new ExperimentSpec.TrackingSpec(null, null), Map.of(), "bench: true\n", "0".repeat(64), java.util.List.of());

        // Warm up class loading and the JIT on a throwaway run.
        runOnce(spec, tmp.resolve("warm"), data.getParent());
        long t0 = System.nanoTime();
        runOnce(spec, tmp.resolve("timed"), data.getParent());
        double runnerSeconds = (System.nanoTime() - t0) / 1e9;

        ModelFactory mf = ModelRegistry.find("biased-mf").orElseThrow();
        PreparedData prepared = DatasetRegistry.find("movielens-100k").orElseThrow()
                .load(new DatasetRequest("u1", Map.of(), 1, data.getParent(), m -> {}));
        long t1 = System.nanoTime();
        for (int i = 0; i < trials; i++) {
            TrialModel m = mf.create(Hyperparams.resolve(mf.hyperParameters(), Map.of("factors", 2), Map.of("lr", 0.005)), prepared, i);
            m.trainEpoch(1);
            m.evaluate(TrialModel.Split.VALIDATION);
            m.evaluate(TrialModel.Split.TEST);
        }
        double trainSeconds = (System.nanoTime() - t1) / 1e9;
        out.printf("trials: %d (1 epoch each, biased-mf factors=2, 8,000 ratings)%n", trials);
        out.printf("runner wall time: %.3f s  (%.2f ms per trial)%n", runnerSeconds, 1000 * runnerSeconds / trials);
        out.printf("training alone:   %.3f s  (%.2f ms per trial)%n", trainSeconds, 1000 * trainSeconds / trials);
        out.printf("runner overhead:  %.2f ms per trial%n", 1000 * (runnerSeconds - trainSeconds) / trials);
    }

    private static void runOnce(ExperimentSpec spec, Path dir, Path dataDir) throws Exception {
        PrintWriter quiet = new PrintWriter(java.io.Writer.nullWriter());
        try (MlflowFileStore store = new MlflowFileStore(dir.resolve("mlruns"))) {
            new ExperimentRunner(spec, store, new RunOptions(1, false, dataDir, dir.resolve("state"), quiet)).run();
        }
    }
}
