package org.cinelab.spec;

import java.util.Map;
import java.util.Optional;

/**
 * Model settings that older specs used and that are no longer hyperparameters, with what replaces
 * them. A spec naming one is refused with this message rather than accepted and ignored: the setting
 * could not be honoured per trial, and a run whose logged params disagree with what ran is worse
 * than a one-line edit.
 */
public final class RetiredSettings {
    private static final Map<String, String> REPLACEMENTS = Map.of(
            "blas_threads", "blas_threads is no longer a model setting: ND4J's BLAS pool is one per process, so the thread count"
                    + " is a run option, `cinelab run --threads N` (default: cores / --parallel), recorded as the tag"
                    + " cinelab.blas_threads; remove it from the spec");

    private RetiredSettings() {}

    /** Why {@code name} is refused and what to use instead, when it is a retired model setting. */
    public static Optional<String> message(String name) {
        return Optional.ofNullable(REPLACEMENTS.get(name));
    }
}
