package org.cinelab.spec;

import org.cinelab.data.DatasetProvider;
import org.cinelab.data.DatasetRequest;
import org.cinelab.data.PreparedData;
import org.cinelab.data.RatingSplits;
import org.cinelab.space.HyperParameter;
import org.cinelab.space.Hyperparams;
import org.cinelab.models.ModelFactory;
import org.cinelab.models.TrialModel;
import org.cinelab.space.Domain;
import org.cinelab.search.Objective.Mode;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * Specs checked against richer declarations than the registered models have: string and flag
 * hyperparameters, dataset options, a metric where higher is better, and a data-type mismatch.
 */
class SpecLoaderDeclarationsTest {
    private static final SpecLoader LOADER = new SpecLoader(
            Map.of("mlp", new FakeModel("mlp", RatingSplits.class)),
            Map.of("toy", new FakeDataset("toy", RatingSplits.class), "texts", new FakeDataset("texts", TextData.class)));

    @Test
    void stringAndFlagHyperparametersAndDatasetOptionsGetTheirDeclaredTypesAndDefaults() throws Exception {
        ExperimentSpec spec = LOADER.read(spec("""
                dataset:
                  name: toy
                  options:
                    validation_fraction: 0.2
                model:
                  type: mlp
                  params:
                    batchnorm: true
                space:
                  act: {choice: [relu, tanh]}
                  hidden: {int: [32, 128, 32]}
                """), SpecProblems.FILE);

        assertEquals(Map.of("validation_fraction", 0.2, "min_ratings", 5), spec.dataset().options());
        assertEquals("train-test", spec.dataset().split());
        assertEquals(Map.of("batchnorm", true, "dropout", 0.1), spec.model().params());
        assertEquals(new Domain.Choice(List.of("relu", "tanh")), spec.space().domain("act"));
        assertEquals(new Domain.IntRange(32, 128, 32), spec.space().domain("hidden"));
        assertEquals(new org.cinelab.search.Objective("ndcg", Mode.MAX), spec.objective(), "ndcg: higher is better");
        ExperimentSpec again = LOADER.read(spec.resolvedYaml(), SpecProblems.FILE);
        assertEquals(spec.resolvedYaml(), again.resolvedYaml());
        assertEquals(List.of(spec.dataset(), spec.model(), spec.search(), spec.space(), spec.objective()),
                List.of(again.dataset(), again.model(), again.search(), again.space(), again.objective()));
    }

    @Test
    void choiceValuesAndOptionValuesAreCheckedAgainstTheirDeclarations() {
        assertEquals(List.of(
                "spec.yaml:9:26: dataset.options.validation_fraction: expected a number in [0, 0.5], got 0.9",
                "spec.yaml:10:5: dataset.options.min_rating: dataset toy has no option 'min_rating'; did you mean 'min_ratings'?",
                "spec.yaml:14:16: model.params.batchnorm: expected true or false, got 'yes'",
                "spec.yaml:16:18: space.act.choice: expected one of [relu, tanh], got 'rellu'; did you mean 'relu'?",
                "spec.yaml:17:13: space.dropout.int: int needs an INT hyperparameter, but dropout is DOUBLE; "
                        + "use {uniform: [low, high]}, {loguniform: [low, high]} or a list of values"),
                SpecProblems.of(spec("""
                dataset:
                  name: toy
                  options:
                    validation_fraction: 0.9
                    min_rating: 2
                model:
                  type: mlp
                  params:
                    batchnorm: yes
                space:
                  act: {choice: [rellu, tanh]}
                  dropout: {int: [0, 1]}
                """), LOADER));
    }

    @Test
    void aModelRejectsADatasetOfAnotherKind() {
        assertEquals(List.of("spec.yaml:9:9: model.type: mlp trains on RatingSplits, but dataset texts provides TextData"),
                SpecProblems.of(spec("""
                        dataset:
                          name: texts
                        model:
                          type: mlp
                        """), LOADER));
    }

    @Test
    void theObjectiveModeMayOverrideTheMetricsDirection() throws Exception {
        ExperimentSpec spec = LOADER.read(spec("""
                dataset:
                  name: toy
                model:
                  type: mlp
                objective:
                  metric: loss
                """), SpecProblems.FILE);
        assertEquals(new org.cinelab.search.Objective("loss", Mode.MIN), spec.objective());
    }

    /** Sections after a fixed experiment/search header (5 lines), so a section starting the body is on line 6. */
    private static String spec(String body) {
        return """
                experiment:
                  name: fake
                search:
                  max_epochs: 4
                  sampler: grid
                """ + body;
    }

    interface TextData extends PreparedData {}

    private record FakeModel(String type, Class<? extends PreparedData> dataType) implements ModelFactory {
        public String description() { return "a test model"; }

        public List<HyperParameter> hyperParameters() {
            return List.of(HyperParameter.integer("hidden", 64, 1, 1024, "units"),
                    HyperParameter.choice("act", "relu", List.of("relu", "tanh"), "activation"),
                    HyperParameter.real("dropout", 0.1, 0, 0.9, "dropout rate"),
                    HyperParameter.flag("batchnorm", false, "batch normalisation"));
        }

        public String defaultObjectiveMetric() { return "ndcg"; }

        public List<String> metricNames() { return List.of("ndcg", "loss"); }

        public boolean lowerIsBetter(String metric) { return metric.equals("loss"); }

        public TrialModel create(Hyperparams params, PreparedData data, long seed) { throw new UnsupportedOperationException(); }
    }

    private record FakeDataset(String name, Class<? extends PreparedData> dataType) implements DatasetProvider {
        public List<String> splits() { return List.of("train-test", "holdout"); }

        public List<HyperParameter> options() {
            return List.of(HyperParameter.real("validation_fraction", 0.1, 0, 0.5, "share of training ratings held out"),
                    HyperParameter.integer("min_ratings", 5, 0, 100, "drop users with fewer ratings"));
        }

        public PreparedData load(DatasetRequest request) { throw new UnsupportedOperationException(); }
    }
}
