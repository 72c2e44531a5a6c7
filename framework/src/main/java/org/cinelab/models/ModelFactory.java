package org.cinelab.models;

import org.cinelab.space.Hyperparams;
import org.cinelab.space.HyperParameter;
import org.cinelab.space.SettingConflict;
import org.cinelab.data.PreparedData;

import java.util.List;
import java.util.Map;

/**
 * The one interface a model plugs in through. It declares its settings (so specs are validated
 * up front) and the kind of data it takes, and builds a {@link TrialModel} for one trial.
 * Adding a model is one implementation and one line in {@code org.cinelab.models.zoo.ModelRegistry}; the runner never changes.
 */
public interface ModelFactory {
    /** Name used in specs ({@code model.type}), e.g. {@code biased-mf}. */
    String type();

    /** One sentence for {@code cinelab models} and error messages. */
    String description();

    /** The kind of prepared data this model trains on. */
    Class<? extends PreparedData> dataType();

    /** Every setting the model takes; a spec naming any other is rejected. */
    List<HyperParameter> hyperParameters();

    /** Name of the metric (without split prefix) this model's objective defaults to, e.g. {@code rmse}. */
    String defaultObjectiveMetric();

    /** Metric names {@link TrialModel#evaluate} reports, e.g. {@code rmse}, {@code mae}. */
    List<String> metricNames();

    /** True when lower values of {@code metric} are better. */
    boolean lowerIsBetter(String metric);

    /**
     * Problems only a combination of settings shows (two alternatives both left empty, a setting the
     * data's options cannot serve), checked when a spec is loaded. {@code params} are the fixed
     * settings (searched ones are absent), {@code datasetOptions} the dataset's resolved options.
     * Default: none.
     */
    default List<SettingConflict> conflicts(Map<String, Object> params, Map<String, Object> datasetOptions) {
        return List.of();
    }

    /**
     * A fresh, untrained model for one trial. All randomness must derive from {@code seed} (and, per
     * epoch, from the epoch number) so that a trial resumed from a checkpoint continues exactly.
     */
    TrialModel create(Hyperparams params, PreparedData data, long seed);
}
