package org.cinelab.spec;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Each kind of spec error is reported at the offending key or value, with a message that says what
 * would be valid. Checked against the fixed {@link ToyZoo}, so the names listed are the toy ones.
 */
class SpecLoaderErrorsTest {

    @Test
    void aMisspeltNestedKeySuggestsTheClosestValidKey() {
        assertEquals(List.of(
                "spec.yaml:7:1: search.max_epochs: required key missing",
                "spec.yaml:8:3: search.max_epoch: unknown key; did you mean 'max_epochs'?"), SpecProblems.of("""
                experiment:
                  name: quickstart
                dataset:
                  name: toy-ratings
                model:
                  type: toy-mf
                search:
                  max_epoch: 10
                """));
    }

    @Test
    void anUnknownKeyFarFromEveryValidKeyListsTheValidKeys() {
        assertEquals(List.of(
                "spec.yaml:3:3: experiment.colour: unknown key; valid keys are name, description",
                "spec.yaml:10:1: colour: unknown key; valid keys are experiment, seed, dataset, model, search, space, objective, tracking, paper"),
                SpecProblems.of("""
                experiment:
                  name: quickstart
                  colour: red
                dataset:
                  name: toy-ratings
                model:
                  type: toy-mf
                search:
                  max_epochs: 10
                colour: red
                """));
    }

    @Test
    void aValueOfTheWrongTypeSaysWhatWasExpectedAndWhatWasGiven() {
        assertEquals(List.of(
                "spec.yaml:2:9: experiment.name: expected a name of letters, digits, '.', '_' and '-', got 2024; quote it ('2024') to use it as text",
                "spec.yaml:3:7: seed: expected an integer >= 0, got 'abc'",
                "spec.yaml:9:15: search.max_epochs: expected an integer >= 1, got the quoted string '10'",
                "spec.yaml:10:8: search.eta: expected an integer >= 2, got 2.5"), SpecProblems.of("""
                experiment:
                  name: 2024
                seed: abc
                dataset:
                  name: toy-ratings
                model:
                  type: toy-mf
                search:
                  max_epochs: '10'
                  eta: 2.5
                """));
    }

    @Test
    void anExperimentNameMayHoldOnlyLettersDigitsDotsUnderscoresAndDashes() {
        assertEquals(List.of(
                "spec.yaml:2:9: experiment.name: expected a name of letters, digits, '.', '_' and '-', got 'quick start'"),
                SpecProblems.of("""
                experiment:
                  name: quick start
                dataset:
                  name: toy-ratings
                model:
                  type: toy-mf
                search:
                  max_epochs: 10
                """));
    }

    @Test
    void valuesOutOfRangeAreRejected() {
        assertEquals(List.of(
                "spec.yaml:3:7: seed: expected an integer >= 0, got -1",
                "spec.yaml:10:15: search.max_epochs: expected an integer >= 1, got 0",
                "spec.yaml:11:8: search.eta: expected an integer >= 2, got 1",
                "spec.yaml:12:15: search.min_epochs: expected an integer >= 1, got 0"), SpecProblems.of("""
                experiment:
                  name: quickstart
                seed: -1
                dataset:
                  name: toy-ratings
                model:
                  type: toy-mf
                search:
                  sampler: grid
                  max_epochs: 0
                  eta: 1
                  min_epochs: 0
                """));
    }

    @Test
    void earlyStoppingNeedsAPatienceOfAtLeastOneAndANonNegativeMinDelta() {
        assertEquals(List.of(
                "spec.yaml:9:30: search.early_stopping.patience: expected an integer >= 1, got 0",
                "spec.yaml:9:44: search.early_stopping.min_delta: expected a number >= 0, got -0.1",
                "spec.yaml:10:3: search.early_stoping: unknown key; did you mean 'early_stopping'?"),
                SpecProblems.of("""
                experiment:
                  name: quickstart
                dataset:
                  name: toy-ratings
                model:
                  type: toy-mf
                search:
                  max_epochs: 9
                  early_stopping: {patience: 0, min_delta: -0.1}
                  early_stoping: {patience: 3}
                """));
    }

    @Test
    void earlyStoppingRejectsUnknownKeysAndAMissingPatience() {
        assertEquals(List.of(
                "spec.yaml:9:3: search.early_stopping.patience: required key missing (epochs without improvement before a trial stops)",
                "spec.yaml:10:5: search.early_stopping.patients: unknown key; did you mean 'patience'?",
                "spec.yaml:11:5: search.early_stopping.restore_best: unknown key; valid keys are patience, min_delta",
                "spec.yaml:12:16: search.early_stopping.min_delta: expected a number >= 0, got 'small'"),
                SpecProblems.of("""
                experiment:
                  name: quickstart
                dataset:
                  name: toy-ratings
                model:
                  type: toy-mf
                search:
                  max_epochs: 9
                  early_stopping:
                    patients: 3
                    restore_best: true
                    min_delta: small
                """));
    }

    @Test
    void minEpochsMayNotExceedMaxEpochs() {
        assertEquals(List.of(
                "spec.yaml:9:15: search.min_epochs: expected an integer >= 1 and <= max_epochs (9), got 10"),
                SpecProblems.of("""
                experiment:
                  name: quickstart
                dataset:
                  name: toy-ratings
                model:
                  type: toy-mf
                search:
                  max_epochs: 9
                  min_epochs: 10
                """));
    }

    @Test
    void anUnknownModelSuggestsTheClosestRegisteredType() {
        assertEquals(List.of("spec.yaml:6:9: model.type: unknown model 'toy_mf'; did you mean 'toy-mf'?"),
                SpecProblems.of(minimalWith("  type: toy_mf", "model:\n  type: toy-mf")));
        assertEquals(List.of("spec.yaml:6:9: model.type: unknown model 'svdpp'; known models are toy-mf"),
                SpecProblems.of(minimalWith("  type: svdpp", "model:\n  type: toy-mf")));
    }

    @Test
    void anUnknownDatasetListsTheKnownDatasets() {
        assertEquals(List.of("spec.yaml:4:9: dataset.name: unknown dataset 'netflix'; known datasets are toy-ratings"),
                SpecProblems.of("""
                experiment:
                  name: quickstart
                dataset:
                  name: netflix
                  split: whatever
                model:
                  type: toy-mf
                search:
                  max_epochs: 10
                """));
    }

    @Test
    void anUnknownSplitListsTheDatasetsSplits() {
        assertEquals(List.of("spec.yaml:5:10: dataset.split: toy-ratings has no split 'u9'; "
                        + "its splits are u1, u2, u3, u4, u5, ua, ub, random"),
                SpecProblems.of("""
                experiment:
                  name: quickstart
                dataset:
                  name: toy-ratings
                  split: u9
                model:
                  type: toy-mf
                search:
                  max_epochs: 10
                """));
    }

    @Test
    void anOptionTheDatasetDoesNotDeclareIsRejected() {
        assertEquals(List.of("spec.yaml:6:5: dataset.options.min_ratings: dataset toy-ratings has no option 'min_ratings'; it takes none"),
                SpecProblems.of("""
                experiment:
                  name: quickstart
                dataset:
                  name: toy-ratings
                  options:
                    min_ratings: 5
                model:
                  type: toy-mf
                search:
                  max_epochs: 10
                """));
    }

    @Test
    void aHyperparameterTheModelDoesNotTakeIsRejectedInParamsAndInSpace() {
        assertEquals(List.of(
                "spec.yaml:8:5: model.params.factor: toy-mf has no hyperparameter 'factor'; did you mean 'factors'?",
                "spec.yaml:9:5: model.params.dropout: toy-mf has no hyperparameter 'dropout'; its hyperparameters are factors, lr, reg",
                "spec.yaml:13:3: space.learning_rate: toy-mf has no hyperparameter 'learning_rate'; its hyperparameters are factors, lr, reg",
                "spec.yaml:14:3: space.regg: toy-mf has no hyperparameter 'regg'; did you mean 'reg'?"), SpecProblems.of("""
                experiment:
                  name: quickstart
                dataset:
                  name: toy-ratings
                model:
                  type: toy-mf
                  params:
                    factor: 32
                    dropout: 0.5
                search:
                  max_epochs: 10
                space:
                  learning_rate: [0.1]
                  regg: [0.1]
                """));
    }

    @Test
    void blasThreadsInAModelIsRefusedWithTheRunOptionThatReplacedIt() {
        List<String> problems = SpecProblems.of("""
                experiment:
                  name: quickstart
                dataset:
                  name: toy-ratings
                model:
                  type: toy-mf
                  params:
                    blas_threads: 2
                search:
                  max_epochs: 10
                space:
                  blas_threads: [1, 2]
                """);
        assertEquals(2, problems.size(), problems.toString());
        assertTrue(problems.get(0).startsWith("spec.yaml:8:5: model.params.blas_threads: blas_threads is no longer a model setting"), problems.get(0));
        assertTrue(problems.get(1).startsWith("spec.yaml:12:3: space.blas_threads: blas_threads is no longer a model setting"), problems.get(1));
        for (String p : problems) assertTrue(p.contains("cinelab run --threads N"), p);
    }

    @Test
    void aFixedValueOutsideTheDeclaredRangeIsRejected() {
        assertEquals(List.of(
                "spec.yaml:8:14: model.params.factors: expected an integer in [1, 4096], got 0",
                "spec.yaml:9:9: model.params.lr: expected a number in [0, 10], got 'fast'",
                "spec.yaml:10:10: model.params.reg: expected a number in [0, 10], got the quoted string '0.1'"),
                SpecProblems.of("""
                experiment:
                  name: quickstart
                dataset:
                  name: toy-ratings
                model:
                  type: toy-mf
                  params:
                    factors: 0
                    lr: fast
                    reg: '0.1'
                search:
                  max_epochs: 10
                """));
    }

    @Test
    void aHyperparameterIsEitherFixedOrSearchedNotBoth() {
        assertEquals(List.of("spec.yaml:12:3: space.lr: also fixed in model.params (line 8); "
                        + "a hyperparameter is either fixed or searched, not both"),
                SpecProblems.of("""
                experiment:
                  name: quickstart
                dataset:
                  name: toy-ratings
                model:
                  type: toy-mf
                  params:
                    lr: 0.01
                search:
                  max_epochs: 10
                space:
                  lr: [0.01, 0.1]
                """));
    }

    @Test
    void domainBoundsMustBeOrderedInRangeAndOfTheRightKind() {
        assertEquals(List.of(
                "spec.yaml:12:18: space.reg.uniform: low must be < high, got [0.1, 0.0]",
                "spec.yaml:13:21: space.lr.loguniform: low must be > 0 on a log scale, got 0",
                "spec.yaml:14:18: space.factors.int: low must be <= high, got [64, 8]"),
                SpecProblems.of(withSpace("""
                  reg: {uniform: [0.1, 0.0]}
                  lr: {loguniform: [0, 1]}
                  factors: {int: [64, 8]}
                """)));
        assertEquals(List.of(
                "spec.yaml:12:27: space.lr.loguniform: high: expected a number in [0, 10], got 20",
                "spec.yaml:13:26: space.factors.int: step: expected an integer >= 1, got 0",
                "spec.yaml:14:9: space.reg.int: int needs an INT hyperparameter, but reg is DOUBLE; "
                        + "use {uniform: [low, high]}, {loguniform: [low, high]} or a list of values"),
                SpecProblems.of(withSpace("""
                  lr: {loguniform: [1e-4, 20]}
                  factors: {int: [8, 64, 0]}
                  reg: {int: [0, 1]}
                """)));
        assertEquals(List.of(
                "spec.yaml:12:13: space.factors.uniform: uniform needs a DOUBLE hyperparameter, but factors is INT; "
                        + "use {int: [low, high]} or a list of values",
                "spec.yaml:13:8: space.lr.logunifrom: unknown domain; did you mean 'loguniform'?",
                "spec.yaml:14:8: space.reg: a domain has exactly one of choice, uniform, loguniform, int (and optionally when), got choice, uniform"),
                SpecProblems.of(withSpace("""
                  factors: {uniform: [8, 64]}
                  lr: {logunifrom: [1e-4, 1e-1]}
                  reg: {choice: [0.1], uniform: [0, 1]}
                """)));
    }

    @Test
    void everyChoiceValueMustBeValidAndListedOnce() {
        assertEquals(List.of(
                "spec.yaml:12:13: space.factors: expected an integer in [1, 4096], got 0",
                "spec.yaml:12:20: space.factors: 32 is listed twice",
                "spec.yaml:13:16: space.lr.choice: a choice needs at least one value",
                "spec.yaml:14:8: space.reg: expected a list of values, {choice: [...]}, {uniform: [low, high]}, "
                        + "{loguniform: [low, high]} or {int: [low, high]} / {int: [low, high, step]}, each optionally with when: {parameter: value}, got 0.1; "
                        + "a fixed value belongs in model.params"),
                SpecProblems.of(withSpace("""
                  factors: [0, 32, 32]
                  lr: {choice: []}
                  reg: 0.1
                """)));
    }

    @Test
    void gridSearchRejectsAContinuousDomainAndSuggestsRandom() {
        assertEquals(List.of("spec.yaml:13:5: space.lr: sampler grid needs discrete domains (a list, choice or int), "
                        + "but lr is loguniform; set search.sampler: random (or tpe, sobol)"),
                SpecProblems.of("""
                experiment:
                  name: quickstart
                dataset:
                  name: toy-ratings
                model:
                  type: toy-mf
                search:
                  sampler: grid
                  max_epochs: 10
                space:
                  factors: [16, 32]
                  lr:
                    loguniform: [1e-4, 1e-1]
                """));
    }

    @Test
    void trialsAreNotAllowedWithGridSearchWhoseSizeDecidesTheCount() {
        assertEquals(List.of("spec.yaml:10:11: search.trials: not allowed with sampler grid: the grid size (6) sets "
                        + "the number of trials; set search.sampler: random to draw trials at random"),
                SpecProblems.of("""
                experiment:
                  name: quickstart
                dataset:
                  name: toy-ratings
                model:
                  type: toy-mf
                search:
                  sampler: grid
                  max_epochs: 10
                  trials: 20
                space:
                  factors: [16, 32, 64]
                  lr: [0.01, 0.1]
                """));
    }

    @Test
    void trialsWithTheDefaultGridSaySoWhenEveryDomainIsDiscrete() {
        assertEquals(List.of("spec.yaml:9:11: search.trials: not allowed with sampler grid (the default when every "
                        + "domain is discrete): the grid size (3) sets the number of trials; "
                        + "set search.sampler: random to draw trials at random"),
                SpecProblems.of("""
                experiment:
                  name: quickstart
                dataset:
                  name: toy-ratings
                model:
                  type: toy-mf
                search:
                  max_epochs: 10
                  trials: 20
                space:
                  factors: {int: [16, 48, 16]}
                """));
    }

    @Test
    void randomSearchNeedsTrialsUnlessHyperbandDerivesThem() {
        assertEquals(List.of("spec.yaml:7:1: search.trials: required key missing: sampler random needs the number "
                        + "of trials to draw (only scheduler hyperband derives it)"),
                SpecProblems.of("""
                experiment:
                  name: quickstart
                dataset:
                  name: toy-ratings
                model:
                  type: toy-mf
                search:
                  max_epochs: 10
                space:
                  lr: {loguniform: [1e-4, 1e-1]}
                """));
        assertEquals(List.of("spec.yaml:10:11: search.trials: not allowed with scheduler hyperband: its brackets "
                        + "derive the number of trials from max_epochs, eta and min_epochs"),
                SpecProblems.of("""
                experiment:
                  name: quickstart
                dataset:
                  name: toy-ratings
                model:
                  type: toy-mf
                search:
                  scheduler: hyperband
                  max_epochs: 27
                  trials: 20
                space:
                  lr: {loguniform: [1e-4, 1e-1]}
                """));
    }

    @Test
    void misspeltSamplerAndSchedulerWordsSuggestTheClosestAndDoNotCascade() {
        assertEquals(List.of(
                "spec.yaml:8:12: search.sampler: unknown sampler 'randon'; did you mean 'random'?",
                "spec.yaml:9:14: search.scheduler: unknown scheduler 'hyperbnd'; did you mean 'hyperband'?"),
                SpecProblems.of("""
                experiment:
                  name: quickstart
                dataset:
                  name: toy-ratings
                model:
                  type: toy-mf
                search:
                  sampler: randon
                  scheduler: hyperbnd
                  max_epochs: 27
                """));
    }

    @Test
    void theObjectiveMetricMustBeOneTheModelReports() {
        assertEquals(List.of(
                "spec.yaml:10:11: objective.metric: toy-mf reports no metric 'ndcg'; its metrics are rmse, mae "
                        + "(always measured on the validation split)",
                "spec.yaml:11:9: objective.mode: expected one of min, max, got 'lowest'"),
                SpecProblems.of("""
                experiment:
                  name: quickstart
                dataset:
                  name: toy-ratings
                model:
                  type: toy-mf
                search:
                  max_epochs: 10
                objective:
                  metric: ndcg
                  mode: lowest
                """));
    }

    @Test
    void missingRequiredKeysAreReportedAtTheirParentMap() {
        assertEquals(List.of(
                "spec.yaml:2:1: experiment.name: required key missing",
                "spec.yaml:2:1: dataset: required key missing",
                "spec.yaml:2:1: search.max_epochs: required key missing (the epoch budget of a fully trained trial)",
                "spec.yaml:4:1: model.type: required key missing"), SpecProblems.of("""
                # only a description, no name
                experiment:
                  description: "x"
                model:
                  params: {factors: 8}
                """));
    }

    @Test
    void anEmptySpecSaysWhatItNeeds() {
        assertEquals(List.of("spec.yaml:1:1: (root): the spec is empty; it needs at least experiment, dataset, model and search"),
                SpecProblems.of("# nothing yet\n"));
    }

    @Test
    void aYamlSyntaxErrorIsReportedWhereTheParserStopped() {
        assertEquals(List.of("spec.yaml:3:8: (yaml): invalid YAML: mapping values are not allowed here"),
                SpecProblems.of("""
                experiment:
                  name: quickstart
                seed: 1: 2
                """));
        assertEquals(List.of("spec.yaml:3:1: (yaml): invalid YAML: while parsing a flow sequence (started at line 2, column 7): "
                        + "expected ',' or ']', but got <stream end>"),
                SpecProblems.of("""
                space:
                  lr: [1, 2
                """));
    }

    @Test
    void anAliasWithoutAnAnchorIsAYamlError() {
        assertEquals(List.of("spec.yaml:2:7: (yaml): invalid YAML: alias *grid names no anchor (&grid) defined before it"),
                SpecProblems.of("""
                space:
                  lr: *grid
                """));
    }

    @Test
    void aDuplicateKeyIsReportedAtItsSecondOccurrence() {
        assertEquals(List.of("spec.yaml:9:3: search.max_epochs: duplicate key; first given at line 8"), SpecProblems.of("""
                experiment:
                  name: quickstart
                dataset:
                  name: toy-ratings
                model:
                  type: toy-mf
                search:
                  max_epochs: 10
                  max_epochs: 20
                """));
    }

    @Test
    void aSpecIsOneYamlDocument() {
        assertEquals(List.of("spec.yaml:10:1: (yaml): a spec is one YAML document, but another starts here; "
                        + "remove the extra '---' section"), SpecProblems.of("""
                experiment:
                  name: quickstart
                dataset:
                  name: toy-ratings
                model:
                  type: toy-mf
                search:
                  max_epochs: 10
                ---
                seed: 3
                """));
    }

    @Test
    void everyProblemIsReportedTogetherInFileOrder() {
        assertEquals(List.of(
                "spec.yaml:2:9: experiment.name: expected a name of letters, digits, '.', '_' and '-', got 'a b'",
                "spec.yaml:3:7: seed: expected an integer >= 0, got 1.5",
                "spec.yaml:6:10: dataset.split: toy-ratings has no split 'u0'; its splits are u1, u2, u3, u4, u5, ua, ub, random",
                "spec.yaml:9:1: search.trials: required key missing: sampler random needs the number of trials to draw "
                        + "(only scheduler hyperband derives it)",
                "spec.yaml:10:3: search.trails: unknown key; did you mean 'trials'?",
                "spec.yaml:13:21: space.lr.loguniform: low: expected a number in [0, 10], got -1"), SpecProblems.of("""
                experiment:
                  name: a b
                seed: 1.5
                dataset:
                  name: toy-ratings
                  split: u0
                model:
                  type: toy-mf
                search:
                  trails: 20
                  max_epochs: 10
                space:
                  lr: {loguniform: [-1, 1]}
                """));
    }

    @Test
    void aMissingFileIsOneProblemAtLineZero(@TempDir Path dir) {
        Path missing = dir.resolve("nope.yaml");
        SpecException e = assertThrows(SpecException.class, () -> SpecLoader.load(missing));
        assertEquals(List.of(new SpecProblem(missing, 0, 0, "(file)", "no such file")), e.problems());
    }

    /** A valid minimal spec with one line replaced. */
    private static String minimalWith(String line, String replacing) {
        return MINIMAL.replace(replacing, replacing.substring(0, replacing.indexOf('\n') + 1) + line);
    }

    /** A valid minimal spec with random search, followed by a {@code space:} section whose first entry is on line 12. */
    private static String withSpace(String entries) {
        return MINIMAL.replace("  max_epochs: 10\n", "  sampler: random\n  trials: 5\n  max_epochs: 10\n") + "space:\n" + entries;
    }

    private static final String MINIMAL = """
            experiment:
              name: quickstart
            dataset:
              name: toy-ratings
            model:
              type: toy-mf
            search:
              max_epochs: 10
            """;
}
