package org.cinelab.data;

import java.util.List;

/**
 * Side information for MovieLens-100k users and movies, as compact columns indexed by the same dense
 * ids as {@link RatingSplits} (dense id = raw id - 1). Read by {@link MovieLens100kFeatures}; reaches
 * models through {@link FeaturedRatingSplits}. Arrays are shared, not copied: callers must not modify them.
 */
public record MovieLensFeatures(Users users, Movies movies) {

    /**
     * {@code u.user}: one entry per user.
     *
     * @param age        age in years
     * @param ageBucket  index into {@link #AGE_BUCKETS}
     * @param gender     0 = F, 1 = M
     * @param occupation index into {@code occupations} (the order of {@code u.occupation})
     * @param zipCode    the raw zip code (a few are Canadian postal codes)
     * @param zipPrefix  index into {@link #ZIP_PREFIXES}: a US zip code's first digit, else "other"
     */
    public record Users(int[] age, int[] ageBucket, int[] gender, int[] occupation, String[] zipCode, int[] zipPrefix,
                        List<String> occupations) {
        /**
         * Lower bounds of the age buckets of TensorFlow Datasets' {@code bucketized_user_age}, which the
         * TFRS tutorials use: under 18 is 1, then 18-24, 25-34, 35-44, 45-49, 50-55, 56+.
         */
        public static final List<Integer> AGE_BUCKETS = List.of(1, 18, 25, 35, 45, 50, 56);
        public static final List<String> ZIP_PREFIXES = List.of("0", "1", "2", "3", "4", "5", "6", "7", "8", "9", "other");

        public int count() { return age.length; }

        /** The bucket index of an age, as TFDS bucketizes it. */
        public static int ageBucketOf(int age) {
            int bucket = 0;
            for (int b = 1; b < AGE_BUCKETS.size() && age >= AGE_BUCKETS.get(b); b++) bucket = b;
            return bucket;
        }

        /** The {@link #ZIP_PREFIXES} index of a zip code. */
        public static int zipPrefixOf(String zip) {
            char c = zip.isEmpty() ? 'x' : zip.charAt(0);
            return c >= '0' && c <= '9' && zip.chars().allMatch(Character::isDigit) ? c - '0' : ZIP_PREFIXES.size() - 1;
        }
    }

    /**
     * {@code u.item}: one entry per movie.
     *
     * @param title           the title as written, decoded from Latin-1 (e.g. "Misérables, Les (1995)")
     * @param releaseYear     year of the release date, or {@link #UNKNOWN_YEAR} when the file has none
     * @param genres          bit g set when the movie has genre {@code GENRES.get(g)}
     * @param titleTokens     token ids of the title into {@code titleVocabulary}
     * @param titleVocabulary Keras {@code TextVectorization}-style: 0 = padding "", 1 = "[UNK]", then tokens by
     *                        descending frequency (ties alphabetical); tokens are the lower-cased title with
     *                        punctuation removed, split on whitespace
     */
    public record Movies(String[] title, int[] releaseYear, int[] genres, int[][] titleTokens, List<String> titleVocabulary) {
        public static final int UNKNOWN_YEAR = 0;
        /** The 19 genre flags of {@code u.item}, in file order ({@code u.genre}). */
        public static final List<String> GENRES = List.of("unknown", "Action", "Adventure", "Animation", "Children's",
                "Comedy", "Crime", "Documentary", "Drama", "Fantasy", "Film-Noir", "Horror", "Musical", "Mystery",
                "Romance", "Sci-Fi", "Thriller", "War", "Western");

        public int count() { return title.length; }

        public boolean hasGenre(int movie, int genre) { return (genres[movie] >>> genre & 1) == 1; }

        /** The genre flags of one movie as 0/1 values, e.g. a model's input row. */
        public float[] genreVector(int movie) {
            float[] v = new float[GENRES.size()];
            for (int g = 0; g < v.length; g++) v[g] = hasGenre(movie, g) ? 1f : 0f;
            return v;
        }
    }
}
