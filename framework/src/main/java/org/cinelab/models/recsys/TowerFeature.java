package org.cinelab.models.recsys;

import org.cinelab.data.MovieLensFeatures;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;

/**
 * A side feature a tower can read besides the id: categorical ones are one index per example (an
 * embedding in the graph), multi-hot ones a 0/1 (or count) row over their vocabulary (a dense
 * projection without bias, i.e. the sum of the present values' embeddings).
 */
enum TowerFeature {
    AGE("age", true, false),
    GENDER("gender", true, false),
    OCCUPATION("occupation", true, false),
    ZIP("zip", true, false),
    GENRES("genres", false, true),
    YEAR("year", false, false),
    TITLE("title", false, true);

    /** Release years are bucketed by decade: 0 = unknown, 1 = before 1930, ..., 8 = 1990s, 9 = 2000 or later. */
    static final int YEAR_BUCKETS = 10;

    final String key;
    final boolean user;
    final boolean multiHot;

    TowerFeature(String key, boolean user, boolean multiHot) {
        this.key = key;
        this.user = user;
        this.multiHot = multiHot;
    }

    /** The graph input's name, e.g. {@code user_age}, {@code movie_genres}. */
    String inputName() { return (user ? "user_" : "movie_") + key; }

    /** Number of categories (categorical) or width of the row (multi-hot). */
    int size(MovieLensFeatures f) {
        return switch (this) {
            case AGE -> MovieLensFeatures.Users.AGE_BUCKETS.size();
            case GENDER -> 2;
            case OCCUPATION -> f.users().occupations().size();
            case ZIP -> MovieLensFeatures.Users.ZIP_PREFIXES.size();
            case GENRES -> MovieLensFeatures.Movies.GENRES.size();
            case YEAR -> YEAR_BUCKETS;
            case TITLE -> f.movies().titleVocabulary().size();
        };
    }

    /** The category index of a user or movie (categorical features only). */
    int category(MovieLensFeatures f, int id) {
        return switch (this) {
            case AGE -> f.users().ageBucket()[id];
            case GENDER -> f.users().gender()[id];
            case OCCUPATION -> f.users().occupation()[id];
            case ZIP -> f.users().zipPrefix()[id];
            case YEAR -> decade(f.movies().releaseYear()[id]);
            case GENRES, TITLE -> throw new IllegalStateException(key + " is multi-hot");
        };
    }

    /** Adds a movie's values into {@code row} (multi-hot features only): genre flags, or title token counts without padding. */
    void fill(MovieLensFeatures f, int id, float[] row, int offset) {
        switch (this) {
            case GENRES -> {
                for (int g = 0; g < MovieLensFeatures.Movies.GENRES.size(); g++) if (f.movies().hasGenre(id, g)) row[offset + g] = 1f;
            }
            case TITLE -> {
                for (int token : f.movies().titleTokens()[id]) if (token > 0) row[offset + token] += 1f;
            }
            default -> throw new IllegalStateException(key + " is categorical");
        }
    }

    static int decade(int year) {
        if (year == MovieLensFeatures.Movies.UNKNOWN_YEAR) return 0;
        return Math.max(1, Math.min(YEAR_BUCKETS - 1, (year - 1920) / 10 + 1));
    }

    static List<String> names(boolean user) {
        return Arrays.stream(values()).filter(f -> f.user == user).map(f -> f.key).toList();
    }

    /** "" -> none; "age, gender" -> [AGE, GENDER] in the enum's order; unknown or repeated names are rejected. */
    static List<TowerFeature> parse(String hyperParameter, String spec, boolean user) {
        List<TowerFeature> chosen = new ArrayList<>();
        if (spec.isBlank()) return chosen;
        for (String raw : spec.split(",")) {
            String name = raw.trim().toLowerCase(Locale.ROOT);
            TowerFeature f = Arrays.stream(values()).filter(v -> v.user == user && v.key.equals(name)).findFirst()
                    .orElseThrow(() -> new IllegalArgumentException(hyperParameter + ": unknown feature '" + raw.trim()
                            + "'; valid: " + String.join(", ", names(user)) + " (comma-separated, \"\" = id only)"));
            if (chosen.contains(f)) throw new IllegalArgumentException(hyperParameter + ": '" + name + "' is listed twice");
            chosen.add(f);
        }
        chosen.sort(null);
        return List.copyOf(chosen);
    }
}
