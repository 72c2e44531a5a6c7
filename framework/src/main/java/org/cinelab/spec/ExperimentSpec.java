package org.cinelab.spec;

import org.cinelab.search.Objective;
import org.cinelab.search.SearchSettings;
import org.cinelab.space.SearchSpace;

import java.nio.file.Path;
import java.util.List;
import java.util.Map;

/**
 * A validated experiment spec. Built only by {@link SpecLoader}, which rejects anything the
 * models, datasets, samplers and schedulers would not accept, so the runner can trust it.
 *
 * @param resolvedYaml the spec as CineLab understood it (defaults filled in, {@code --set}
 *                     overrides applied), logged as {@code spec.yaml}
 * @param sha256       SHA-256 of the spec file's bytes, followed by the overrides when there are any
 * @param overrides    the {@code --set key=value} overrides applied on top of the file, in order
 */
public record ExperimentSpec(
        Path file,
        String name,
        String description,
        long seed,
        DatasetSpec dataset,
        ModelSpec model,
        SearchSettings search,
        SearchSpace space,
        Objective objective,
        TrackingSpec tracking,
        Map<String, Object> paper,
        String resolvedYaml,
        String sha256,
        List<String> overrides) {

    public ExperimentSpec {
        overrides = overrides == null ? List.of() : List.copyOf(overrides);
    }

    /**
     * The same spec with another seed (e.g. {@code cinelab run --seed 2} for a multi-seed table);
     * the resolved YAML shows the seed actually used, the file checksum stays the file's.
     */
    public ExperimentSpec withSeed(long newSeed) {
        ExperimentSpec s = new ExperimentSpec(file, name, description, newSeed, dataset, model, search, space, objective,
                tracking, paper, resolvedYaml, sha256, overrides);
        return new ExperimentSpec(file, name, description, newSeed, dataset, model, search, space, objective,
                tracking, paper, ResolvedYaml.render(s), sha256, overrides);
    }

    /** {@code dataset:} name, split and loader options. */
    public record DatasetSpec(String name, String split, Map<String, Object> options) {}

    /** {@code model:} type and the fixed hyperparameters every trial shares. */
    public record ModelSpec(String type, Map<String, Object> params) {}

    /** {@code tracking:} store URI (null = decided at run time: --tracking-uri, MLFLOW_TRACKING_URI, ./mlruns) and MLflow experiment name. */
    public record TrackingSpec(String uri, String experiment) {}
}
