package org.cinelab.data;

import java.util.Map;
import java.util.Optional;

/**
 * What a dataset provider hands to a model: the data, already split. Each kind of data (ratings,
 * texts, sequences) is its own record; a model declares which kind it accepts.
 */
public interface PreparedData {
    /** How the data was loaded and split, logged as run params (e.g. {@code dataset.split=u1}). */
    Map<String, String> params();

    /** SHA-256 over the source files the data was read from. */
    String dataSha256();

    /** Hash of the data checksum and the split parameters: equal ids mean the same data. */
    String splitId();

    /**
     * Files that describe how the data was prepared (e.g. a fitted vocabulary), logged on the
     * parent run under {@code data/}, keyed by artifact file name.
     */
    default Map<String, java.nio.file.Path> artifacts() { return Map.of(); }

    /**
     * This data with the validation rows moved into training, for {@code search.refit}: the chosen
     * configuration is retrained on everything but the test rows. Its params and split id differ
     * from this data's. Empty when the kind of data cannot be merged so.
     */
    default Optional<PreparedData> withValidationInTraining() { return Optional.empty(); }
}
