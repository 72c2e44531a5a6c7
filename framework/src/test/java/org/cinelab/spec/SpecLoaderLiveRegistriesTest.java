package org.cinelab.spec;

import org.cinelab.data.DatasetProvider;
import org.cinelab.data.sets.DatasetRegistry;
import org.cinelab.space.HyperParameter;
import org.cinelab.models.ModelFactory;
import org.cinelab.models.zoo.ModelRegistry;
import org.cinelab.search.Objective.Mode;
import org.junit.jupiter.api.Test;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Facts about the live {@link ModelRegistry} and {@link DatasetRegistry} that stay true as models and
 * datasets are added: the repository's quickstart spec loads, every registered model loads with its
 * declared defaults on every dataset it can train on, and unknown names list what is registered.
 */
class SpecLoaderLiveRegistriesTest {

    @Test
    void theQuickstartSpecInTheRepositoryLoadsAsItSays() throws Exception {
        ExperimentSpec spec = SpecLoader.load(quickstart());

        assertEquals("quickstart", spec.name());
        assertEquals("biased-mf", spec.model().type());
        assertEquals("movielens-100k", spec.dataset().name());
        assertEquals("u1", spec.dataset().split());
        assertEquals(0.1, spec.dataset().options().get("validation_ratio"));
        assertEquals("hyperband", spec.search().scheduler());
        assertEquals(List.of("factors", "lr", "reg"), List.copyOf(spec.space().params().keySet()));
        assertEquals(new org.cinelab.search.Objective("rmse", Mode.MIN), spec.objective());
    }

    @Test
    void theQuickstartsResolvedYamlLoadsBackTheSame() throws Exception {
        ExperimentSpec first = SpecLoader.load(quickstart());
        ExperimentSpec again = SpecLoader.loadString(first.resolvedYaml(), SpecProblems.FILE);
        assertEquals(first.resolvedYaml(), again.resolvedYaml());
        assertEquals(List.of(first.dataset(), first.model(), first.search(), first.space(), first.objective()),
                List.of(again.dataset(), again.model(), again.search(), again.space(), again.objective()));
    }

    @Test
    void everyRegisteredModelLoadsWithItsDeclaredDefaultsOnEveryDatasetItTrainsOn() throws Exception {
        int pairs = 0;
        for (ModelFactory model : ModelRegistry.all().values()) {
            for (DatasetProvider dataset : DatasetRegistry.all().values()) {
                if (!model.dataType().isAssignableFrom(dataset.dataType())) continue;
                pairs++;
                String pair = model.type() + " on " + dataset.name();
                // What no default can say: where a classifier's labels come from; and an LSTM's
                // embedding reads word indices, which the dataset's default scaling would make fractions.
                Map<String, Object> params = model.type().matches("text-(dnn|lstm)") ? Map.of("dec_run", "latest:s1-dec") : Map.of();
                Map<String, Object> options = model.type().equals("text-lstm") ? Map.of("scale", false) : Map.of();
                ExperimentSpec spec = SpecLoader.loadString("""
                        experiment: {name: defaults}
                        dataset: {name: %s, options: %s}
                        model: {type: %s, params: %s}
                        search: {max_epochs: 1}
                        """.formatted(dataset.name(), flow(options), model.type(), flow(params)), SpecProblems.FILE);

                Map<String, Object> expectedParams = defaults(model.hyperParameters());
                expectedParams.putAll(params);
                Map<String, Object> expectedOptions = defaults(dataset.options());
                expectedOptions.putAll(options);
                assertEquals(expectedParams, spec.model().params(), pair);
                assertEquals(expectedOptions, spec.dataset().options(), pair);
                assertEquals(dataset.splits().isEmpty() ? null : dataset.splits().get(0), spec.dataset().split(), pair);
                assertEquals(model.defaultObjectiveMetric(), spec.objective().metric(), pair);
                ExperimentSpec again = SpecLoader.loadString(spec.resolvedYaml(), SpecProblems.FILE);
                assertEquals(spec.resolvedYaml(), again.resolvedYaml(), pair);
            }
        }
        assertTrue(pairs > 0, "no registered model trains on any registered dataset");
    }

    @Test
    void anUnknownModelListsTheRegisteredModelsIncludingBiasedMf() {
        String problem = single(SpecProblems.of("""
                experiment: {name: q}
                dataset: {name: movielens-100k}
                model: {type: not-a-registered-model}
                search: {max_epochs: 1}
                """, live()));
        String intro = "spec.yaml:3:15: model.type: unknown model 'not-a-registered-model'; known models are ";
        assertTrue(problem.startsWith(intro), problem);
        assertTrue(listed(problem, intro).contains("biased-mf"), problem);
    }

    @Test
    void anUnknownDatasetListsTheRegisteredDatasetsIncludingMovielens100k() {
        String problem = single(SpecProblems.of("""
                experiment: {name: q}
                dataset: {name: not-a-registered-dataset}
                model: {type: biased-mf}
                search: {max_epochs: 1}
                """, live()));
        String intro = "spec.yaml:2:17: dataset.name: unknown dataset 'not-a-registered-dataset'; known datasets are ";
        assertTrue(problem.startsWith(intro), problem);
        assertTrue(listed(problem, intro).contains("movielens-100k"), problem);
    }

    private static SpecLoader live() {
        return new SpecLoader(ModelRegistry.all(), DatasetRegistry.all());
    }

    /** {@code {key: value, ...}} in YAML flow style, strings quoted. */
    private static String flow(Map<String, Object> m) {
        StringBuilder sb = new StringBuilder("{");
        m.forEach((k, v) -> sb.append(sb.length() > 1 ? ", " : "").append(k).append(": ")
                .append(v instanceof String text ? "\"" + text + "\"" : v));
        return sb.append('}').toString();
    }

    private static Map<String, Object> defaults(List<HyperParameter> declared) {
        Map<String, Object> m = new LinkedHashMap<>();
        for (HyperParameter hp : declared) m.put(hp.name(), hp.defaultValue());
        return m;
    }

    private static String single(List<String> problems) {
        assertEquals(1, problems.size(), problems.toString());
        return problems.get(0);
    }

    private static List<String> listed(String problem, String intro) {
        return Arrays.asList(problem.substring(intro.length()).split(", "));
    }

    /** experiments/quickstart.yaml of the repository holding the working directory. */
    private static Path quickstart() {
        Path dir = Path.of("").toAbsolutePath();
        while (dir != null && !Files.exists(dir.resolve("experiments/quickstart.yaml"))) dir = dir.getParent();
        assertNotNull(dir, "experiments/quickstart.yaml not found above " + Path.of("").toAbsolutePath());
        return dir.resolve("experiments/quickstart.yaml");
    }
}
