package org.cinelab.space;

/**
 * Settings that are each valid but cannot work together (say, a model that reads features from data
 * loaded without them), found when a spec is loaded rather than in every trial.
 *
 * @param field the dotted spec field to blame, e.g. {@code model.params.dec_run} or {@code dataset.options.scale}
 */
public record SettingConflict(String field, String message) {}
