package org.cinelab.report;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * A run's model settings from its params, whichever way they were logged: older runs carry fixed
 * settings twice ({@code model.lr} and {@code lr}), newer ones once ({@code lr}); the parent of a search
 * logs each searched range as {@code space.lr}. Bookkeeping (trial, data, split, search and objective
 * params, the seed and model type) is left out.
 */
final class ChosenHyperparameters {
    private static final List<String> BOOKKEEPING = List.of("trial.", "dataset.", "split.", "text.", "search.", "objective.", "space.",
            "data.", "refit.");
    private static final List<String> NOT_SETTINGS = List.of("seed", "model.type", "split", "dataset");

    private ChosenHyperparameters() {}

    /** Setting name -> value; a bare name wins over {@code model.}-prefixed (they hold the same value in older runs). */
    static Map<String, String> of(Map<String, String> params) {
        Map<String, String> out = new TreeMap<>();
        for (Map.Entry<String, String> p : params.entrySet()) {
            String key = p.getKey();
            if (NOT_SETTINGS.contains(key) || BOOKKEEPING.stream().anyMatch(key::startsWith)) continue;
            if (key.startsWith("model.")) out.putIfAbsent(key.substring("model.".length()), p.getValue());
            else out.put(key, p.getValue());
        }
        return out;
    }

    /** The names a search chose ({@code space.NAME} params of the parent run), sorted. */
    static List<String> searched(Map<String, String> parentParams) {
        List<String> out = new ArrayList<>();
        for (String key : parentParams.keySet()) if (key.startsWith("space.")) out.add(key.substring("space.".length()));
        out.sort(null);
        return out;
    }
}
