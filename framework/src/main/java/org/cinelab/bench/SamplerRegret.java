package org.cinelab.bench;

import org.cinelab.data.NoData;
import org.cinelab.models.BenchmarkFunctionModel;
import org.cinelab.models.TestFunction;
import org.cinelab.models.TrialModel;
import org.cinelab.runner.ExperimentResult;
import org.cinelab.runner.ExperimentRunner;
import org.cinelab.runner.RunOptions;
import org.cinelab.search.Decision;
import org.cinelab.search.Objective;
import org.cinelab.search.Search;
import org.cinelab.search.SearchSettings;
import org.cinelab.search.SearchState;
import org.cinelab.search.TrialRecord;
import org.cinelab.space.Domain;
import org.cinelab.space.Hyperparams;
import org.cinelab.space.SearchSpace;
import org.cinelab.spec.ExperimentSpec;
import org.cinelab.spec.SpecLoader;
import org.cinelab.tracking.MlflowFileStore;

import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * Simple regret (best value found minus the known minimum) of a sampler on Hartmann-6 after a
 * number of trials: either through the Search API with the benchmark-function model evaluated in
 * place (the sampler sees exactly what the engine would give it, at no runner cost), or through the
 * real engine ({@link ExperimentRunner} on a temporary MLflow file store).
 */
final class SamplerRegret {
    static final Objective VALUE = new Objective("value", Objective.Mode.MIN);
    static final SearchSpace HARTMANN_SPACE;

    static {
        Map<String, Domain> d = new TreeMap<>();
        for (int i = 1; i <= 6; i++) d.put("x" + i, new Domain.Uniform(0, 1));
        HARTMANN_SPACE = SearchSpace.of(d);
    }

    /** A sampler as the benchmark names it: {@code tpe-multivariate} is {@code tpe} with {@code multivariate: true}. */
    record Variant(String label, String sampler, Map<String, Object> options) {
        String specText() {
            if (options.isEmpty()) return sampler;
            StringBuilder sb = new StringBuilder("{type: ").append(sampler);
            options.forEach((k, v) -> sb.append(", ").append(k).append(": ").append(v));
            return sb.append('}').toString();
        }
    }

    static final List<Variant> VARIANTS = List.of(
            new Variant("random", "random", Map.of()),
            new Variant("sobol", "sobol", Map.of()),
            new Variant("tpe", "tpe", Map.of()),
            new Variant("tpe-multivariate", "tpe", Map.of("multivariate", true)));

    private SamplerRegret() {}

    /** Regret after {@code trials} sequential trials, driven through the Search API. */
    static double direct(Variant v, long seed, int trials) {
        SearchSettings settings = SearchSettings.of(v.sampler(), trials, "none", 1, 3, 1).withSamplerOptions(v.options());
        Search search = Search.of(settings, HARTMANN_SPACE, seed, VALUE);
        SearchState state = search.newState();
        BenchmarkFunctionModel model = new BenchmarkFunctionModel();
        double best = Double.POSITIVE_INFINITY;
        for (int i = 0; i < trials; i++) {
            TrialRecord r = search.start(state, new Decision.Start(0, 1));
            Map<String, Object> p = new HashMap<>(r.values());
            p.put("function", "hartmann6");
            TrialModel m = model.create(Hyperparams.resolve(model.hyperParameters(), Map.of(), p), new NoData(), r.seed());
            m.trainEpoch(1);
            double value = m.evaluate(TrialModel.Split.VALIDATION).get("value");
            r.report(1, value);
            r.status(TrialRecord.Status.FINISHED);
            best = Math.min(best, value);
        }
        return best - TestFunction.HARTMANN6.minimum();
    }

    /** Regret of the best trial of a real execution of the same search (sequential, one worker). */
    static double engine(Variant v, long seed, int trials, Path tmp) throws Exception {
        StringBuilder yaml = new StringBuilder("""
                experiment: {name: bench-search-%s}
                seed: %d
                dataset: {name: none}
                model: {type: benchmark-function, params: {function: hartmann6}}
                search: {sampler: %s, trials: %d, max_epochs: 1}
                objective: {metric: value, mode: min}
                space:
                """.formatted(v.label(), seed, v.specText(), trials));
        for (int i = 1; i <= 6; i++) yaml.append("  x").append(i).append(": {uniform: [0, 1]}\n");
        Path dir = Files.createDirectories(tmp.resolve(v.label() + "-" + seed));
        Path file = dir.resolve("spec.yaml");
        Files.writeString(file, yaml, StandardCharsets.UTF_8);
        ExperimentSpec spec = SpecLoader.load(file);
        try (MlflowFileStore store = new MlflowFileStore(dir.resolve("mlruns"))) {
            ExperimentResult r = new ExperimentRunner(spec, store, new RunOptions(1, false, dir, dir.resolve("state"),
                    new PrintWriter(java.io.Writer.nullWriter()))).run();
            return r.best().test().get("regret");
        }
    }
}
