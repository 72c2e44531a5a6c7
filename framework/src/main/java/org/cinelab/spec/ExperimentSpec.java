package org.cinelab.spec;

import org.cinelab.space.Domain;

import java.nio.file.Path;
import java.util.Map;

/**
 * A validated experiment spec. Built only by {@link SpecLoader}, which rejects anything the
 * models, datasets, samplers and schedulers would not accept, so the runner can trust it.
 *
 * @param resolvedYaml the spec as CineLab understood it (defaults filled in), logged as {@code spec.yaml}
 * @param sha256       SHA-256 of the spec file's bytes
 */
public record ExperimentSpec(
        Path file,
        String name,
        String description,
        long seed,
        DatasetSpec dataset,
        ModelSpec model,
        SearchSpec search,
        Map<String, Domain> space,
        ObjectiveSpec objective,
        TrackingSpec tracking,
        Map<String, Object> paper,
        String resolvedYaml,
        String sha256) {

    /**
     * The same spec with another seed (e.g. {@code cinelab run --seed 2} for a multi-seed table);
     * the resolved YAML shows the seed actually used, the file checksum stays the file's.
     */
    public ExperimentSpec withSeed(long newSeed) {
        ExperimentSpec s = new ExperimentSpec(file, name, description, newSeed, dataset, model, search, space, objective,
                tracking, paper, resolvedYaml, sha256);
        return new ExperimentSpec(file, name, description, newSeed, dataset, model, search, space, objective,
                tracking, paper, ResolvedYaml.render(s), sha256);
    }

    /** {@code dataset:} name, split and loader options. */
    public record DatasetSpec(String name, String split, Map<String, Object> options) {}

    /** {@code model:} type and the fixed hyperparameters every trial shares. */
    public record ModelSpec(String type, Map<String, Object> params) {}

    /**
     * {@code search:} which configurations ({@code sampler}, {@code trials}) and how much budget
     * each gets ({@code scheduler}, {@code max_epochs}, {@code eta}, {@code min_epochs},
     * {@code early_stopping}), and whether the chosen configuration is finally retrained on
     * training + validation ({@code refit}). {@code trials} is null when the sampler/scheduler pair
     * derives it (grid, Hyperband); {@code earlyStopping} is null when trials train to their target epochs.
     */
    public record SearchSpec(Sampler sampler, Integer trials, Scheduler scheduler, int maxEpochs, int eta, int minEpochs,
                             EarlyStopping earlyStopping, boolean refit) {
        /** Without refit. */
        public SearchSpec(Sampler sampler, Integer trials, Scheduler scheduler, int maxEpochs, int eta, int minEpochs,
                          EarlyStopping earlyStopping) {
            this(sampler, trials, scheduler, maxEpochs, eta, minEpochs, earlyStopping, false);
        }

        /** Without early stopping or refit. */
        public SearchSpec(Sampler sampler, Integer trials, Scheduler scheduler, int maxEpochs, int eta, int minEpochs) {
            this(sampler, trials, scheduler, maxEpochs, eta, minEpochs, null, false);
        }
    }

    /**
     * {@code search.early_stopping:} a trial stops after {@code patience} epochs in which its
     * validation objective did not improve on its best by more than {@code minDelta}; its test
     * metrics and model then come from its best epoch.
     */
    public record EarlyStopping(int patience, double minDelta) {}

    public enum Sampler {
        GRID, RANDOM;

        /** The word a spec uses: {@code grid}, {@code random}. */
        public String specName() { return SpecNames.of(this); }
    }

    public enum Scheduler {
        NONE, SUCCESSIVE_HALVING, HYPERBAND;

        /** The word a spec uses: {@code none}, {@code successive-halving}, {@code hyperband}. */
        public String specName() { return SpecNames.of(this); }
    }

    /** {@code objective:} a validation metric and its direction. */
    public record ObjectiveSpec(String metric, Mode mode) {}

    public enum Mode {
        MIN, MAX;

        /** The word a spec uses: {@code min}, {@code max}. */
        public String specName() { return SpecNames.of(this); }
    }

    /** {@code tracking:} store URI (null = decided at run time: --tracking-uri, MLFLOW_TRACKING_URI, ./mlruns) and MLflow experiment name. */
    public record TrackingSpec(String uri, String experiment) {}
}
