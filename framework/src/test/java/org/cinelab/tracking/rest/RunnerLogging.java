package org.cinelab.tracking.rest;

import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.TreeSet;
import org.cinelab.data.sets.SyntheticMovieLens;
import org.cinelab.runner.ExperimentResult;
import org.cinelab.runner.ExperimentRunner;
import org.cinelab.runner.RunOptions;
import org.cinelab.spec.ExperimentSpec;
import org.cinelab.spec.SpecLoader;
import org.cinelab.tracking.MetricPoint;
import org.cinelab.tracking.RunInfo;
import org.cinelab.tracking.Tracker;

/** A small experiment on generated MovieLens-format data, run by the real runner, and a comparable view of what it logged. */
final class RunnerLogging {
    static final String SPEC = """
            experiment:
              name: rest-parity
              description: generated data
            seed: 11
            dataset:
              name: movielens-100k
              split: u1
            model:
              type: biased-mf
              params: {factors: 4}
            search:
              sampler: grid
              scheduler: none
              max_epochs: 4
            space:
              lr: [0.005, 0.01]
            objective: {metric: rmse, mode: min}
            """;

    private RunnerLogging() {}

    static ExperimentSpec spec(Path dir, String yaml) throws Exception {
        Files.createDirectories(dir);
        Path file = dir.resolve("spec.yaml");
        Files.writeString(file, yaml);
        return SpecLoader.load(file);
    }

    static Path data(Path tmp) throws Exception {
        Path dataDir = tmp.resolve("data");
        if (!Files.exists(dataDir)) SyntheticMovieLens.write(dataDir, 3000, 800, 5);
        return dataDir;
    }

    static ExperimentResult run(ExperimentSpec spec, Tracker tracker, Path data, Path state) throws Exception {
        return new ExperimentRunner(spec, tracker, new RunOptions(1, false, data, state,
                new PrintWriter(java.io.Writer.nullWriter()))).run();
    }

    /**
     * Per run name: status, params, tags that do not name ids or times, and every metric's
     * (step, value) points sorted by step, read through the {@link Tracker} reading methods.
     */
    static Map<String, String> snapshot(Tracker tracker, String experimentId) throws Exception {
        Map<String, String> out = new TreeMap<>();
        for (RunInfo run : tracker.listRuns(experimentId)) {
            StringBuilder sb = new StringBuilder();
            sb.append("status=").append(run.status()).append('\n');
            sb.append("params=").append(new TreeMap<>(tracker.getParams(run.runId()))).append('\n');
            Map<String, String> tags = new TreeMap<>(tracker.getTags(run.runId()));
            tags.keySet().removeIf(k -> k.equals("mlflow.parentRunId") || k.equals("cinelab.best_run_id")
                    || k.startsWith("cinelab.sync."));
            sb.append("tags=").append(tags).append('\n');
            for (String key : new TreeSet<>(tracker.getMetricKeys(run.runId()))) {
                sb.append(key).append('=');
                tracker.getMetricHistory(run.runId(), key).stream().sorted(Comparator.comparingLong(MetricPoint::step))
                        .forEach(p -> sb.append(p.step()).append(':').append(p.value()).append(' '));
                sb.append('\n');
            }
            out.put(run.runName(), sb.toString());
        }
        return out;
    }

    /** Artifact paths of a file-store run. */
    static List<String> artifactPaths(Path root, String experimentId, String runId) throws Exception {
        Path dir = root.resolve(experimentId).resolve(runId).resolve("artifacts");
        try (var files = Files.walk(dir)) {
            return files.filter(Files::isRegularFile).map(f -> dir.relativize(f).toString().replace('\\', '/')).sorted().toList();
        }
    }
}
