package org.cinelab.data;

import org.cinelab.data.SplitId;

import java.util.Map;
import java.util.Optional;

/**
 * MovieLens ratings split as usual, plus the users' and movies' side information, for models with
 * feature towers (two-tower retrieval, DCN). {@code movielens-100k} returns it when a spec sets
 * {@code dataset.options.features: true}. Since both kinds reach a model as {@link PreparedData}, a
 * model that takes either declares {@code PreparedData} and reads them through {@link #ratingsOf} and
 * {@link #featuresOf}.
 *
 * @param dataSha256 covers the rating files and the feature files
 */
public record FeaturedRatingSplits(RatingSplits ratings, MovieLensFeatures features, Map<String, String> params,
                                   String dataSha256, String splitId) implements PreparedData {

    public FeaturedRatingSplits {
        if (features.users().count() != ratings.numUsers() || features.movies().count() != ratings.numItems()) {
            throw new IllegalArgumentException("features describe " + features.users().count() + " users and "
                    + features.movies().count() + " movies, the ratings " + ratings.numUsers() + " and " + ratings.numItems());
        }
        params = Map.copyOf(params);
    }

    /** The ratings with validation moved into training ({@link RatingSplits#merged()}), features unchanged. */
    @Override
    public Optional<PreparedData> withValidationInTraining() {
        Map<String, String> p = RatingSplits.refitParams(params);
        return Optional.of(new FeaturedRatingSplits(ratings.merged(), features, p, dataSha256, SplitId.of(dataSha256, p)));
    }

    /** The rating splits of either kind of MovieLens data. */
    public static RatingSplits ratingsOf(PreparedData data) {
        if (data instanceof RatingSplits r) return r;
        if (data instanceof FeaturedRatingSplits f) return f.ratings();
        throw new IllegalArgumentException("expected rating data (RatingSplits or FeaturedRatingSplits), got "
                + (data == null ? "null" : data.getClass().getSimpleName()));
    }

    /** The features, when the dataset was loaded with {@code features: true}. */
    public static Optional<MovieLensFeatures> featuresOf(PreparedData data) {
        return data instanceof FeaturedRatingSplits f ? Optional.of(f.features()) : Optional.empty();
    }
}
