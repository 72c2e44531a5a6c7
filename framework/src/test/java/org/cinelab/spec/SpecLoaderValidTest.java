package org.cinelab.spec;

import org.cinelab.data.Checksums;
import org.cinelab.space.Domain;
import org.cinelab.spec.ExperimentSpec.DatasetSpec;
import org.cinelab.search.EarlyStopping;
import org.cinelab.search.Objective.Mode;
import org.cinelab.spec.ExperimentSpec.ModelSpec;
import org.cinelab.search.Objective;
import org.cinelab.search.SearchSettings;
import org.cinelab.spec.ExperimentSpec.TrackingSpec;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Valid specs load into the values they say, with every default filled in, and their resolved YAML
 * loads back the same. Checked against the fixed {@link ToyZoo}, so the defaults are the toy ones.
 */
class SpecLoaderValidTest {
    private static final SpecLoader LOADER = ToyZoo.LOADER;

    private static final String FULL = """
            # Toy MF with successive halving over a mixed space
            experiment:
              name: quickstart
              description: "Toy MF on toy ratings, u2 split"
            seed: 42
            dataset:
              name: toy-ratings
              split: u2
            model:
              type: toy-mf
              params:
                reg: 1
            search:
              sampler: random
              trials: 20
              scheduler: successive-halving
              max_epochs: 27
              eta: 3
              min_epochs: 3
            space:
              lr: {loguniform: [1e-4, 1.0e-1]}
              factors: [16, 32, 64]
            objective:
              metric: mae
              mode: min
            tracking:
              uri: ./mlruns
              experiment: mf-tuning
            paper: {test_rmse: 0.934, source: "Koren 2009", splits: [u1, u2]}
            """;

    @Test
    void aFullSpecLoadsIntoTheValuesItStates() throws Exception {
        ExperimentSpec spec = LOADER.read(FULL, Path.of("full.yaml"));

        assertEquals(Path.of("full.yaml"), spec.file());
        assertEquals("quickstart", spec.name());
        assertEquals("Toy MF on toy ratings, u2 split", spec.description());
        assertEquals(42L, spec.seed());
        assertEquals(new DatasetSpec("toy-ratings", "u2", Map.of()), spec.dataset());
        assertEquals(new ModelSpec("toy-mf", Map.of("reg", 1.0)), spec.model());
        assertEquals(Double.class, spec.model().params().get("reg").getClass(), "an integer given for a DOUBLE becomes a Double");
        assertEquals(SearchSettings.of("random", 20, "successive-halving", 27, 3, 3), spec.search());
        assertEquals(List.of("factors", "lr"), List.copyOf(spec.space().params().keySet()), "space is sorted by name");
        assertEquals(new Domain.Choice(List.of(16, 32, 64)), spec.space().domain("factors"));
        assertEquals(new Domain.LogUniform(1e-4, 1e-1), spec.space().domain("lr"));
        assertEquals(new Objective("mae", Mode.MIN), spec.objective());
        assertEquals(new TrackingSpec("./mlruns", "mf-tuning"), spec.tracking());
        assertEquals(Map.of("test_rmse", 0.934, "source", "Koren 2009", "splits", List.of("u1", "u2")), spec.paper());
        assertEquals(Checksums.sha256(FULL), spec.sha256());
    }

    @Test
    void aMinimalSpecGetsEveryDefault() throws Exception {
        ExperimentSpec spec = LOADER.read("""
                experiment:
                  name: quickstart
                dataset:
                  name: toy-ratings
                model:
                  type: toy-mf
                search:
                  max_epochs: 10
                """, SpecProblems.FILE);

        assertNull(spec.description());
        assertEquals(0L, spec.seed());
        assertEquals(new DatasetSpec("toy-ratings", "u1", Map.of()), spec.dataset(), "the first split is the default");
        assertEquals(Map.of("factors", 64, "lr", 0.01, "reg", 0.05), spec.model().params(), "declared defaults fill params");
        assertEquals(SearchSettings.of("grid", null, "none", 10, 3, 1), spec.search());
        assertTrue(spec.space().isEmpty());
        assertEquals(new Objective("rmse", Mode.MIN), spec.objective());
        assertEquals(new TrackingSpec(null, "quickstart"), spec.tracking(), "the MLflow experiment defaults to experiment.name");
        assertEquals(Map.of(), spec.paper());
    }

    @Test
    void theSamplerDefaultsToGridForADiscreteSpaceAndRandomOtherwise() throws Exception {
        ExperimentSpec discrete = LOADER.read(searching("  factors: {int: [8, 32, 8]}\n  lr: [0.01, 0.1]\n", ""), SpecProblems.FILE);
        assertEquals("grid", discrete.search().sampler());
        assertEquals(new Domain.IntRange(8, 32, 8), discrete.space().domain("factors"));
        assertEquals(Map.of("reg", 0.05), discrete.model().params(), "searched names get no fixed default");

        ExperimentSpec continuous = LOADER.read(searching("  reg: {uniform: [0, 0.1]}\n", "  trials: 7\n"), SpecProblems.FILE);
        assertEquals(SearchSettings.of("random", 7, "none", 10, 3, 1), continuous.search());
        assertEquals(new Domain.Uniform(0.0, 0.1), continuous.space().domain("reg"));
    }

    @Test
    void hyperbandNeedsNoTrialCount() throws Exception {
        ExperimentSpec spec = LOADER.read(searching("  lr: {loguniform: [1e-4, 1e-1]}\n", "  scheduler: hyperband\n"),
                SpecProblems.FILE);
        assertEquals(SearchSettings.of("random", null, "hyperband", 10, 3, 1), spec.search());
    }

    @Test
    void numbersFollowYamlTypesWithExponentsWithOrWithoutADot() throws Exception {
        ExperimentSpec spec = LOADER.read(searching("  lr: [1e-4, 1.0e-3, 1E-2, .5, 1]\n", ""), SpecProblems.FILE);
        assertEquals(new Domain.Choice(List.of(1e-4, 1e-3, 1e-2, 0.5, 1.0)), spec.space().domain("lr"));
    }

    @Test
    void yesAndNoAreStringsNotBooleans() throws Exception {
        ExperimentSpec spec = LOADER.read(FULL.replace("paper: {", "paper: {peer_reviewed: yes, retracted: false, "),
                SpecProblems.FILE);
        assertEquals("yes", spec.paper().get("peer_reviewed"));
        assertEquals(false, spec.paper().get("retracted"));
    }

    @Test
    void theResolvedYamlLoadsBackIntoAnEqualSpec() throws Exception {
        for (String yaml : List.of(FULL, searching("  factors: {int: [8, 32, 8]}\n  lr: [0.01, 1]\n", ""))) {
            ExperimentSpec first = LOADER.read(yaml, SpecProblems.FILE);
            ExperimentSpec again = LOADER.read(first.resolvedYaml(), SpecProblems.FILE);
            assertEquals(withoutSha(first), withoutSha(again), first.resolvedYaml());
        }
    }

    @Test
    void theResolvedYamlListsSectionsInSchemaOrderWithDefaults() throws Exception {
        ExperimentSpec spec = LOADER.read(searching("  factors: [8, 16]\n", ""), SpecProblems.FILE);
        assertEquals("""
                experiment:
                  name: "quickstart"
                seed: 0
                dataset:
                  name: "toy-ratings"
                  split: "u1"
                  options: {}
                model:
                  type: "toy-mf"
                  params:
                    lr: 0.01
                    reg: 0.05
                search:
                  sampler: "grid"
                  scheduler: "none"
                  max_epochs: 10
                  eta: 3
                  min_epochs: 1
                  refit: false
                space:
                  factors:
                    choice:
                    - 8
                    - 16
                objective:
                  metric: "rmse"
                  mode: "min"
                tracking:
                  experiment: "quickstart"
                paper: {}
                """, spec.resolvedYaml());
    }

    @Test
    void earlyStoppingTakesAPatienceAndAnOptionalMinDeltaAndShowsInTheResolvedYaml() throws Exception {
        ExperimentSpec spec = LOADER.read(searching("  factors: [8, 16]\n", "  early_stopping: {patience: 5}\n"),
                SpecProblems.FILE);
        assertEquals(SearchSettings.of("grid", null, "none", 10, 3, 1).withEarlyStopping(new EarlyStopping(5, 0.0)), spec.search());
        assertTrue(spec.resolvedYaml().contains("""
                  min_epochs: 1
                  early_stopping:
                    patience: 5
                    min_delta: 0.0
                  refit: false
                space:
                """), spec.resolvedYaml());

        ExperimentSpec withDelta = LOADER.read(searching("", "  early_stopping:\n    patience: 2\n    min_delta: 1e-3\n"),
                SpecProblems.FILE);
        assertEquals(new EarlyStopping(2, 0.001), withDelta.search().earlyStopping());
        assertEquals(withoutSha(withDelta), withoutSha(LOADER.read(withDelta.resolvedYaml(), SpecProblems.FILE)));

        ExperimentSpec empty = LOADER.read(searching("", "  early_stopping:\n"), SpecProblems.FILE);
        assertNull(empty.search().earlyStopping(), "an empty optional key is the same as none");
    }

    @Test
    void aSpecFileIsIdentifiedByTheSha256OfItsBytes(@TempDir Path dir) throws Exception {
        Path file = dir.resolve("q.yaml");
        Files.writeString(file, FULL, StandardCharsets.UTF_8);
        ExperimentSpec spec = LOADER.read(file);
        assertEquals(Checksums.sha256(file), spec.sha256());
        assertEquals(file, spec.file());
    }

    private static ExperimentSpec withoutSha(ExperimentSpec s) {
        return new ExperimentSpec(s.file(), s.name(), s.description(), s.seed(), s.dataset(), s.model(), s.search(),
                s.space(), s.objective(), s.tracking(), s.paper(), s.resolvedYaml(), null, List.of());
    }

    /** A minimal valid spec with extra {@code search:} lines and the given {@code space:} entries. */
    @Test
    void refitIsABooleanDefaultingToFalseAndShowsInTheResolvedYaml() throws Exception {
        assertFalse(LOADER.read(searching("", ""), SpecProblems.FILE).search().refit());
        ExperimentSpec spec = LOADER.read(searching("", "  refit: true\n"), SpecProblems.FILE);
        assertEquals(SearchSettings.of("grid", null, "none", 10, 3, 1).withRefit(true), spec.search());
        assertTrue(spec.resolvedYaml().contains("  min_epochs: 1\n  refit: true\n"), spec.resolvedYaml());
        assertEquals(withoutSha(spec), withoutSha(LOADER.read(spec.resolvedYaml(), SpecProblems.FILE)));
        assertEquals(List.of("spec.yaml:9:10: search.refit: expected true or false, got 'yes'"),
                SpecProblems.of(searching("", "  refit: yes\n"), LOADER));
    }

    private static String searching(String spaceEntries, String searchLines) {
        return """
                experiment:
                  name: quickstart
                dataset:
                  name: toy-ratings
                model:
                  type: toy-mf
                search:
                  max_epochs: 10
                """ + searchLines + "space:\n" + spaceEntries;
    }
}
