package org.cinelab.spec;

import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;

/** {@code search.sampler: tpe} and {@code sobol} in specs: options checked like a model's, objections located. */
class TpeAndSobolSpecTest {
    private static String spec(String sampler, String trials, String space) {
        return """
                experiment:
                  name: q
                dataset:
                  name: toy-ratings
                model:
                  type: toy-mf
                search:
                  sampler: %s
                  trials: %s
                  max_epochs: 3
                space:
                %s""".formatted(sampler, trials, space.indent(2));
    }

    @Test
    void tpeOptionsAreReadWithTheirDefaults() throws Exception {
        ExperimentSpec s = ToyZoo.LOADER.read(spec("{type: tpe, startup_trials: 5, multivariate: true}", "20",
                "lr: {loguniform: [0.001, 0.1]}"), SpecProblems.FILE);

        assertEquals("tpe", s.search().sampler());
        assertEquals(Map.of("startup_trials", 5, "ei_candidates", 24, "gamma", 0.1, "gamma_max", 25, "prior_weight", 1.0,
                "multivariate", true, "constant_liar", false, "consider_endpoints", false), s.search().samplerOptions());
    }

    @Test
    void aTpeSpecsResolvedYamlLoadsBackWithTheSameOptions() throws Exception {
        ExperimentSpec s = ToyZoo.LOADER.read(spec("{type: tpe, gamma: 0.25, constant_liar: true}", "20",
                "lr: {loguniform: [0.001, 0.1]}"), SpecProblems.FILE);
        ExperimentSpec again = ToyZoo.LOADER.read(s.resolvedYaml(), SpecProblems.FILE);

        assertEquals(s.search(), again.search());
        assertEquals(s.resolvedYaml(), again.resolvedYaml());
    }

    @Test
    void tpeRejectsAChoiceOfOneValueAtTheDomain() {
        assertEquals(List.of("spec.yaml:13:12: space.factors: a choice of one value is a fixed value: put it in model.params;"
                        + " TPE needs two or more"),
                SpecProblems.of(spec("tpe", "20", "lr: {loguniform: [0.001, 0.1]}\nfactors: [32]")));
    }

    @Test
    void tpeOptionsOutOfRangeOrUnknownAreLocated() {
        assertEquals(List.of("spec.yaml:8:31: search.sampler.gamma: expected a number in [0.001, 1], got 2",
                        "spec.yaml:8:34: search.sampler.gama: unknown key; did you mean 'gamma'?"),
                SpecProblems.of(spec("{type: tpe, gamma: 2, gama: 0.2}", "20", "lr: {loguniform: [0.001, 0.1]}")));
    }

    @Test
    void tpeWithNoTrialLeftAfterItsStartUpTrialsIsRejected() {
        assertEquals(List.of("spec.yaml:8:12: search.sampler.startup_trials: all 10 trials would be random start-up trials"
                        + " (startup_trials: 10); set startup_trials below search.trials, or use sampler random"),
                SpecProblems.of(spec("tpe", "10", "lr: {loguniform: [0.001, 0.1]}")));
    }

    @Test
    void sobolLoadsWithContinuousAndDiscreteDomains() throws Exception {
        ExperimentSpec s = ToyZoo.LOADER.read(spec("sobol", "8", "lr: {loguniform: [0.001, 0.1]}\nfactors: [16, 32]"), SpecProblems.FILE);
        assertEquals("sobol", s.search().sampler());
    }
}
