package org.cinelab.runner;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.cinelab.search.Search;
import org.cinelab.spec.ExperimentSpec;
import org.cinelab.spec.SpecLoader;
import org.cinelab.tracking.MetricPoint;
import org.cinelab.tracking.MlflowFileStore;
import org.cinelab.tracking.RunInfo;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.TreeSet;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Results are unchanged, bit for bit, by the adaptive engine: the fixtures under
 * src/test/resources/golden were written by the runner before it (commit 0bfaa79): every
 * experiments/ spec's trials (ids, brackets, seeds, exact values and types) and epoch budget, and
 * every metric point and stop reason of three small searches (Hyperband over random values;
 * successive halving over a grid with early stopping; random search with early stopping and refit).
 */
class EngineGoldenTest {
    private static final Path GOLDEN = Path.of("src/test/resources/golden");
    private static final ObjectMapper JSON = new ObjectMapper();

    @Test
    void everyStudySpecPlansTheSameTrialsWithTheSameValuesAsBefore() throws Exception {
        JsonNode plans = JSON.readTree(GOLDEN.resolve("plans.json").toFile());
        int specs = 0;
        for (var it = plans.fields(); it.hasNext(); ) {
            var e = it.next();
            ExperimentSpec spec = SpecLoader.load(Path.of("../experiments", e.getKey()));
            Search search = Search.of(spec.search(), spec.space(), spec.seed(), spec.objective());
            List<Search.PlannedTrial> trials = search.preview();
            JsonNode expected = e.getValue().get("trials");
            assertEquals(expected.size(), trials.size(), e.getKey());
            for (int i = 0; i < trials.size(); i++) {
                Search.PlannedTrial t = trials.get(i);
                JsonNode x = expected.get(i);
                assertEquals(x.get("id").asText(), t.id(), e.getKey());
                assertEquals(x.get("bracket").asInt(), t.bracket(), e.getKey() + " " + t.id());
                assertEquals(x.get("seed").asLong(), t.seed(), e.getKey() + " " + t.id());
                Map<String, String> values = new TreeMap<>();
                t.values().forEach((k, v) -> values.put(k, v.getClass().getSimpleName() + ":" + v));
                Map<String, String> was = new TreeMap<>();
                x.get("values").fields().forEachRemaining(v -> was.put(v.getKey(), v.getValue().asText()));
                assertEquals(was, values, e.getKey() + " " + t.id());
            }
            assertEquals(e.getValue().get("epochs").asLong(), search.scheduler().budget().maxEpochs(), e.getKey());
            specs++;
        }
        assertTrue(specs >= 30, "all study specs compared: " + specs);
    }

    @Test
    void threeSmallSearchesLogTheSameMetricsAndStopReasonsAsBefore(@TempDir Path tmp) throws Exception {
        JsonNode runs = JSON.readTree(GOLDEN.resolve("runs.json").toFile());
        Path data = RunnerFixture.syntheticData(tmp);
        for (var it = runs.fields(); it.hasNext(); ) {
            var e = it.next();
            ExperimentSpec spec = SpecLoader.load(GOLDEN.resolve(e.getKey()));
            try (MlflowFileStore store = new MlflowFileStore(tmp.resolve("mlruns-" + e.getKey()))) {
                var r = new ExperimentRunner(spec, store, RunnerFixture.options(data, tmp.resolve("state-" + e.getKey()))).run();
                Map<String, Map<String, String>> got = new TreeMap<>();
                for (RunInfo run : store.listRuns(r.experimentId())) {
                    Map<String, String> m = new TreeMap<>();
                    m.put("status", run.status().toString());
                    Map<String, String> tags = store.getTags(run.runId());
                    boolean child = tags.containsKey("mlflow.parentRunId");
                    // cinelab.epochs_trained is new on the parent
                    for (String k : List.of("cinelab.stop_reason", "cinelab.best_trial", "cinelab.epochs_trained", "cinelab.best_epoch")) {
                        if (tags.containsKey(k) && (child || !k.equals("cinelab.epochs_trained"))) m.put(k, tags.get(k));
                    }
                    for (String key : new TreeSet<>(store.getMetricKeys(run.runId()))) {
                        StringBuilder sb = new StringBuilder();
                        store.getMetricHistory(run.runId(), key).stream().sorted(Comparator.comparingLong(MetricPoint::step))
                                .forEach(p -> sb.append(p.step()).append(':').append(p.value()).append(' '));
                        m.put(key, sb.toString().trim());
                    }
                    got.put(run.runName(), m);
                }
                Map<String, Map<String, String>> expected = new TreeMap<>();
                e.getValue().fields().forEachRemaining(run -> {
                    Map<String, String> m = new TreeMap<>();
                    run.getValue().fields().forEachRemaining(f -> m.put(f.getKey(), f.getValue().asText()));
                    expected.put(run.getKey(), m);
                });
                assertEquals(expected, got, e.getKey());
            }
        }
    }
}
