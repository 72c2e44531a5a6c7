package org.cinelab.spec;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.dataformat.yaml.YAMLMapper;

import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
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

    /**
     * A spec text as an older CineLab logged it, without the retired model settings it sets (their
     * names appended to {@code dropped}); the text itself when it sets none. For re-running a logged
     * execution: those settings did not change what a trial computed per se.
     */
    public static String withoutRetired(String yaml, List<String> dropped) throws IOException {
        YAMLMapper mapper = new YAMLMapper();
        JsonNode root = mapper.readTree(yaml);
        JsonNode params = root == null ? null : root.path("model").path("params");
        if (!(params instanceof ObjectNode object)) return yaml;
        List<String> names = new ArrayList<>();
        object.fieldNames().forEachRemaining(n -> { if (REPLACEMENTS.containsKey(n)) names.add(n); });
        if (names.isEmpty()) return yaml;
        for (String n : names) {
            object.remove(n);
            dropped.add("model.params." + n);
        }
        return mapper.writeValueAsString(root);
    }

    /** Why {@code name} is refused and what to use instead, when it is a retired model setting. */
    public static Optional<String> message(String name) {
        return Optional.ofNullable(REPLACEMENTS.get(name));
    }
}
