package org.cinelab.models.dl4j;

import java.util.Map;
import java.util.function.Consumer;

/**
 * Which trainer a model's steps go through, recorded on its trial run as {@code cinelab.trainer}:
 * {@code cinelab} (CineLab's in-place trainers) or {@code dl4j fit: <why>} (the setting that asked for
 * DL4J's, or what the network has that CineLab's trainers do not implement). The two round floats
 * differently, so the tag is part of what a re-run needs to know.
 */
public final class TrainerChoice {
    public static final String TAG = "cinelab.trainer";

    private String value = "dl4j fit";

    /** Where a trainer's {@code create} says why it cannot train the network. */
    public Consumer<String> whyNot() {
        return reason -> value = "dl4j fit: " + reason;
    }

    /** Records that {@code trainer} (null: DL4J's fit) trains the model, and returns it. */
    public <T> T chosen(T trainer) {
        if (trainer != null) value = "cinelab";
        return trainer;
    }

    public Map<String, String> tags() { return Map.of(TAG, value); }
}
