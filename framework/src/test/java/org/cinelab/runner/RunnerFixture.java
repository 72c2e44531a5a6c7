package org.cinelab.runner;

import org.cinelab.data.sets.SyntheticMovieLens;
import org.cinelab.spec.ExperimentSpec;
import org.cinelab.spec.SpecLoader;
import org.cinelab.tracking.MetricPoint;
import org.cinelab.tracking.RunInfo;
import org.cinelab.tracking.Tracker;

import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/** Specs on generated MovieLens-format data, and a comparable snapshot of what a run logged. */
final class RunnerFixture {
    static final PrintWriter QUIET = new PrintWriter(java.io.Writer.nullWriter());

    private RunnerFixture() {}

    static Path syntheticData(Path tmp) throws Exception {
        Path dataDir = tmp.resolve("data");
        if (!Files.exists(dataDir)) SyntheticMovieLens.write(dataDir, 6000, 1500, 5);
        return dataDir;
    }

    static final String HYPERBAND_SPEC = """
            experiment:
              name: runner-test
              description: generated data
            seed: 7
            dataset:
              name: movielens-100k
              split: u1
            model:
              type: biased-mf
              params: {factors: 8}
            search:
              sampler: random
              scheduler: hyperband
              max_epochs: 9
              eta: 3
            space:
              lr: {loguniform: [0.002, 0.02]}
              reg: {uniform: [0.01, 0.1]}
            objective: {metric: rmse, mode: min}
            """;

    static ExperimentSpec spec(Path tmp, String yaml) throws Exception {
        Path file = tmp.resolve("spec.yaml");
        Files.writeString(file, yaml);
        return SpecLoader.load(file);
    }

    static RunOptions options(Path dataDir, Path stateDir) {
        return new RunOptions(1, false, dataDir, stateDir, QUIET);
    }

    /**
     * Everything that must be equal between two executions of the same spec, keyed by run name:
     * status, params (minus none), and every metric's (step, value) sequence sorted by step.
     */
    static Map<String, String> snapshot(Tracker tracker, String experimentId) throws Exception {
        Map<String, String> out = new TreeMap<>();
        for (RunInfo run : tracker.listRuns(experimentId)) {
            StringBuilder sb = new StringBuilder();
            sb.append("status=").append(run.status()).append('\n');
            sb.append("params=").append(new TreeMap<>(tracker.getParams(run.runId()))).append('\n');
            Map<String, String> tags = tracker.getTags(run.runId());
            sb.append("role=").append(tags.containsKey("mlflow.parentRunId") ? "child" : "parent").append('\n');
            for (String key : new java.util.TreeSet<>(tracker.getMetricKeys(run.runId()))) {
                List<MetricPoint> h = tracker.getMetricHistory(run.runId(), key);
                sb.append(key).append('=');
                h.stream().sorted(java.util.Comparator.comparingLong(MetricPoint::step))
                        .forEach(p -> sb.append(p.step()).append(':').append(p.value()).append(' '));
                sb.append('\n');
            }
            out.put(run.runName(), sb.toString());
        }
        return out;
    }
}
