package org.cinelab.spec;

import org.cinelab.data.DatasetProvider;
import org.cinelab.data.DatasetRequest;
import org.cinelab.data.PreparedData;
import org.cinelab.data.RatingSplits;
import org.cinelab.models.ModelFactory;
import org.cinelab.models.TrialModel;
import org.cinelab.search.Search;
import org.cinelab.space.Domain;
import org.cinelab.space.HyperParameter;
import org.cinelab.space.Hyperparams;
import org.cinelab.space.SearchSpace;
import org.junit.jupiter.api.Test;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The spec side of the adaptive engine: samplers and schedulers looked up by name with their own
 * options and checks, typed lists as values, {@code when:} conditions and {@code --set} overrides,
 * every problem located.
 */
class SpecSearchFeaturesTest {

    /** A network model with a list-valued setting and an optimiser whose momentum only sgd uses. */
    private static final class ToyNet implements ModelFactory {
        public String type() { return "toy-net"; }

        public String description() { return "a network for tests"; }

        public Class<? extends PreparedData> dataType() { return RatingSplits.class; }

        public List<HyperParameter> hyperParameters() {
            return List.of(HyperParameter.intList("hidden", List.of(64), 1, 4096, false, "widths"),
                    HyperParameter.choice("optimizer", "adam", List.of("adam", "sgd"), "optimiser"),
                    HyperParameter.real("momentum", 0.9, 0.0, 0.999, "sgd momentum"),
                    HyperParameter.real("lr", 0.01, 0.0, 10.0, "learning rate"),
                    HyperParameter.integer("layers", 1, 1, 8, "depth"));
        }

        public String defaultObjectiveMetric() { return "rmse"; }

        public List<String> metricNames() { return List.of("rmse"); }

        public boolean lowerIsBetter(String metric) { return true; }

        public TrialModel create(Hyperparams params, PreparedData data, long seed) { throw new UnsupportedOperationException(); }
    }

    private static final class Ratings implements DatasetProvider {
        public String name() { return "toy-ratings"; }

        public Class<? extends PreparedData> dataType() { return RatingSplits.class; }

        public List<String> splits() { return List.of("u1"); }

        public List<HyperParameter> options() { return List.of(); }

        public PreparedData load(DatasetRequest request) { throw new UnsupportedOperationException(); }
    }

    private static final SpecLoader LOADER = new SpecLoader(Map.of("toy-net", new ToyNet()), Map.of("toy-ratings", new Ratings()));

    private static String spec(String search, String space) {
        return "experiment: {name: t}\n"                    // 1
                + "dataset: {name: toy-ratings}\n"          // 2
                + "model: {type: toy-net}\n"                // 3
                + "search:\n" + search                      // 4..
                + "space:\n" + space;
    }

    private static ExperimentSpec load(String yaml) throws SpecException {
        return LOADER.read(yaml, SpecProblems.FILE);
    }

    @Test
    void listsAreTypedValuesAndAChoiceOfListsIsSearchable() throws Exception {
        ExperimentSpec s = load(spec("  max_epochs: 3\n", "  hidden: [[256, 128], [512, 256, 128]]\n"));

        assertEquals(new Domain.Choice(List.of(List.of(256, 128), List.of(512, 256, 128))), s.space().domain("hidden"));
        assertEquals(List.of(List.of(256, 128), List.of(512, 256, 128)),
                Search.of(s.search(), s.space(), 0, s.objective()).preview().stream().map(t -> t.values().get("hidden")).toList());
        assertEquals(load(s.resolvedYaml()).space(), s.space(), "the resolved YAML loads back to the same space");
    }

    @Test
    void aCommaStringStillMeansAListAndBadElementsAreLocated() throws Exception {
        String fixed = "experiment: {name: t}\ndataset: {name: toy-ratings}\nmodel: {type: toy-net, params: {hidden: \"%s\"}}\n"
                + "search: {max_epochs: 1}\n";
        assertEquals(List.of(256, 128), load(fixed.formatted("256,128")).model().params().get("hidden"));

        List<String> problems = SpecProblems.of(fixed.formatted("../../x"), LOADER);
        assertEquals(1, problems.size());
        assertTrue(problems.get(0).startsWith("spec.yaml:3:41: model.params.hidden: expected a list of integers in [1, 4096]"),
                problems.get(0));
        String zero = SpecProblems.of(spec("  max_epochs: 3\n", "  hidden: [[256, 0]]\n"), LOADER).get(0);
        assertTrue(zero.startsWith("spec.yaml:7:12: space.hidden: expected a list of integers in [1, 4096]"), zero);
    }

    @Test
    void aConditionalParameterExistsOnlyWhenItsParentHasOneOfTheValues() throws Exception {
        ExperimentSpec s = load(spec("  sampler: random\n  trials: 40\n  max_epochs: 3\n",
                "  optimizer: [adam, sgd]\n  momentum: {uniform: [0.5, 0.99], when: {optimizer: sgd}}\n"));

        assertEquals(new SearchSpace.Condition("optimizer", List.of("sgd")), s.space().params().get("momentum").when());
        for (var t : Search.of(s.search(), s.space(), 0, s.objective()).preview()) {
            assertEquals(t.values().get("optimizer").equals("sgd"), t.values().containsKey("momentum"), t.values().toString());
        }
        assertEquals(s.space(), load(s.resolvedYaml()).space());
    }

    @Test
    void conditionsOnUnknownContinuousOrImpossibleParentsAreLocatedErrors() {
        assertEquals(List.of("spec.yaml:9:41: space.momentum.when: no searched hyperparameter 'optimiser' to depend on;"
                        + " did you mean 'optimizer'?"),
                SpecProblems.of(spec("  max_epochs: 3\n", "  optimizer: [adam, sgd]\n  lr: [0.1, 0.01]\n"
                        + "  momentum: {choice: [0.5, 0.9], when: {optimiser: sgd}}\n"), LOADER));
        assertEquals(List.of("spec.yaml:8:52: space.momentum.when.optimizer: expected one of [adam, sgd], got 'sdg';"
                        + " did you mean 'sgd'?"),
                SpecProblems.of(spec("  max_epochs: 3\n", "  optimizer: [adam, sgd]\n"
                        + "  momentum: {choice: [0.5, 0.9], when: {optimizer: sdg}}\n"), LOADER));
        assertEquals(List.of("spec.yaml:8:49: space.momentum.when.layers: impossible condition: layers never takes 3;"
                        + " its values are [1, 2]"),
                SpecProblems.of(spec("  max_epochs: 3\n", "  layers: [1, 2]\n"
                        + "  momentum: {choice: [0.5, 0.9], when: {layers: 3}}\n"), LOADER));
        assertTrue(SpecProblems.of(spec("  sampler: random\n  trials: 3\n  max_epochs: 3\n",
                "  lr: {uniform: [0.1, 1]}\n  momentum: {uniform: [0.5, 0.9], when: {lr: 0.5}}\n"), LOADER).get(0)
                .contains("momentum can only depend on a discrete hyperparameter (a list, choice or int), but lr is uniform"));
        assertTrue(SpecProblems.of(spec("  max_epochs: 3\n", "  layers: {choice: [1, 2], when: {optimizer: adam}}\n"
                + "  optimizer: {choice: [adam, sgd], when: {layers: 2}}\n"), LOADER).get(0).contains("form a cycle"));
    }

    @Test
    void unknownSamplersAndSchedulersSuggestARegisteredOne() {
        assertEquals(List.of("spec.yaml:5:12: search.sampler: unknown sampler 'randm'; did you mean 'random'?",
                        "spec.yaml:6:14: search.scheduler: unknown scheduler 'ahsa'; did you mean 'asha'?"),
                SpecProblems.of(spec("  sampler: randm\n  scheduler: ahsa\n  trials: 3\n  max_epochs: 3\n", "  lr: [0.1, 0.2]\n"), LOADER));
    }

    @Test
    void ashaRefusesAGridAndNeedsATrialCount() {
        assertEquals(List.of("spec.yaml:6:14: search.scheduler: scheduler asha keeps drawing new configurations while results"
                        + " come in, but sampler grid enumerates a fixed set; use scheduler successive-halving for a grid,"
                        + " or sampler random, tpe or sobol with asha"),
                SpecProblems.of(spec("  sampler: grid\n  scheduler: asha\n  max_epochs: 9\n", "  lr: [0.1, 0.2]\n"), LOADER));
        assertEquals(List.of("spec.yaml:4:1: search.trials: required key missing: sampler random needs the number of trials"
                        + " to draw (only scheduler hyperband derives it)"),
                SpecProblems.of(spec("  sampler: random\n  scheduler: asha\n  max_epochs: 9\n", "  lr: [0.1, 0.2]\n"), LOADER));
    }

    @Test
    void samplerOptionsAreCheckedLikeHyperparameters() {
        List<String> problems = SpecProblems.of(spec("  sampler: {type: random, startup: 3}\n  trials: 3\n  max_epochs: 3\n",
                "  lr: [0.1, 0.2]\n"), LOADER);
        assertEquals(1, problems.size());
        assertTrue(problems.get(0).startsWith("spec.yaml:5:27: search.sampler.startup: unknown key"), problems.get(0));
        assertTrue(SpecProblems.of(spec("  sampler: {trials: 3}\n  max_epochs: 3\n", "  lr: [0.1, 0.2]\n"), LOADER).get(0)
                .startsWith("spec.yaml:5:12: search.sampler.type: required key missing"));
    }

    @Test
    void overridesApplyBeforeValidationAndTheirProblemsNameTheOverride(@org.junit.jupiter.api.io.TempDir Path tmp) throws Exception {
        Path file = tmp.resolve("spec.yaml");
        Files.writeString(file, spec("  max_epochs: 3\n", "  lr: [0.1, 0.2]\n"));

        ExperimentSpec s = LOADER.read(file, List.of("search.max_epochs=9", "space.lr={loguniform: [0.001, 0.1]}",
                "search.sampler=random", "search.trials=4"));
        assertEquals(9, s.search().maxEpochs());
        assertEquals(new Domain.LogUniform(0.001, 0.1), s.space().domain("lr"));
        assertTrue(s.resolvedYaml().contains("max_epochs: 9"), s.resolvedYaml());
        assertEquals(List.of("search.max_epochs=9", "space.lr={loguniform: [0.001, 0.1]}", "search.sampler=random", "search.trials=4"),
                s.overrides());
        assertEquals(LOADER.read(file).sha256(), s.sha256(), "the sha stays the file's; overrides are recorded beside it");

        SpecException e = assertThrows(SpecException.class, () -> LOADER.read(file, List.of("search.max_epochs=abc", "search.etta=2", "nokey")));
        assertEquals(List.of("--set 'nokey':1:1: --set: expected key.path=value, e.g. search.max_epochs=9 or"
                        + " 'space.lr={loguniform: [0.001, 0.1]}', got 'nokey'"),
                e.problems().stream().map(SpecProblem::toString).toList());
        e = assertThrows(SpecException.class, () -> LOADER.read(file, List.of("search.max_epochs=abc", "search.etta=2")));
        assertEquals(List.of("--set 'search.max_epochs=abc':1:19: search.max_epochs: expected an integer >= 1, got 'abc'",
                        "--set 'search.etta=2':1:1: search.etta: unknown key; did you mean 'eta'?"),
                e.problems().stream().map(SpecProblem::toString).toList());
    }
}
