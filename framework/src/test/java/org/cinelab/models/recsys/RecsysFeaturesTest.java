package org.cinelab.models.recsys;

import org.cinelab.data.FeaturedRatingSplits;
import org.cinelab.data.MovieLensFeatures;
import org.cinelab.data.RatingSplits;
import org.cinelab.data.RatingTable;
import org.cinelab.space.Hyperparams;
import org.cinelab.models.ModelFactory;
import org.cinelab.models.TrialModel;
import org.cinelab.models.dl4j.Checkpoints;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.api.ndarray.INDArray;

import java.io.IOException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;

import static org.junit.jupiter.api.Assertions.*;

class RecsysFeaturesTest {
    private static final int USERS = 200, MOVIES = 40, SEEN_USERS = 150;
    private static final int ACTION = 1, DRAMA = 8;
    private static final String ALL_USER = "age,gender,occupation,zip", ALL_MOVIE = "genres,year,title";
    private static final FeaturedRatingSplits DATA = genderByGenre();

    /**
     * Men rate Action movies 5 and Drama 1, women the reverse (plus noise), so the rating depends only
     * on features. Users 0..149 rate 20 movies each (training); users 150..199 never appear in
     * training, only in validation and test, so their id embeddings stay untrained.
     */
    private static FeaturedRatingSplits genderByGenre() {
        SplittableRandom rng = new SplittableRandom(11);
        int[] age = new int[USERS], ageBucket = new int[USERS], gender = new int[USERS], occupation = new int[USERS], zipPrefix = new int[USERS];
        String[] zip = new String[USERS];
        for (int u = 0; u < USERS; u++) {
            age[u] = 18 + rng.nextInt(50);
            ageBucket[u] = MovieLensFeatures.Users.ageBucketOf(age[u]);
            gender[u] = rng.nextInt(2);
            occupation[u] = rng.nextInt(3);
            zip[u] = String.format("%05d", rng.nextInt(100000));
            zipPrefix[u] = MovieLensFeatures.Users.zipPrefixOf(zip[u]);
        }
        String[] title = new String[MOVIES];
        int[] year = new int[MOVIES], genres = new int[MOVIES];
        int[][] tokens = new int[MOVIES][];
        for (int m = 0; m < MOVIES; m++) {
            boolean action = m % 2 == 0;
            title[m] = (action ? "Fight " : "Tears ") + m;
            year[m] = m == 0 ? MovieLensFeatures.Movies.UNKNOWN_YEAR : 1930 + m;
            genres[m] = 1 << (action ? ACTION : DRAMA) | (m % 5 == 0 ? 1 << 5 : 0);
            tokens[m] = new int[]{action ? 2 : 3, 4 + m};
        }
        List<String> vocabulary = new ArrayList<>(List.of("", "[UNK]", "fight", "tears"));
        for (int m = 0; m < MOVIES; m++) vocabulary.add(Integer.toString(m));
        MovieLensFeatures features = new MovieLensFeatures(
                new MovieLensFeatures.Users(age, ageBucket, gender, occupation, zip, zipPrefix, List.of("artist", "doctor", "other")),
                new MovieLensFeatures.Movies(title, year, genres, tokens, vocabulary));

        List<int[]> train = new ArrayList<>(), val = new ArrayList<>(), test = new ArrayList<>();
        for (int u = 0; u < USERS; u++) {
            int n = u < SEEN_USERS ? 20 : 10;
            for (int k = 0; k < n; k++) {
                int movie = rng.nextInt(MOVIES);
                int[] row = {u, movie};
                if (u < SEEN_USERS) train.add(row);
                else (k % 2 == 0 ? val : test).add(row);
            }
        }
        RatingSplits ratings = new RatingSplits(table(train, features, rng), table(val, features, rng), table(test, features, rng),
                USERS, MOVIES, 1, 5, Map.of(), "gender-genre", "gender-genre");
        return new FeaturedRatingSplits(ratings, features, Map.of(), "gender-genre", "gender-genre");
    }

    private static RatingTable table(List<int[]> rows, MovieLensFeatures f, SplittableRandom rng) {
        int n = rows.size();
        int[] u = new int[n], it = new int[n];
        float[] r = new float[n];
        for (int j = 0; j < n; j++) {
            u[j] = rows.get(j)[0];
            it[j] = rows.get(j)[1];
            boolean likes = f.users().gender()[u[j]] == 1 == f.movies().hasGenre(it[j], ACTION);
            r[j] = (float) Math.max(1, Math.min(5, Math.rint((likes ? 4.6 : 1.4) + rng.nextDouble() - 0.5)));
        }
        return new RatingTable(u, it, r, new long[n]);
    }

    private static TrialModel model(ModelFactory f, Map<String, Object> params, org.cinelab.data.PreparedData data, long seed) {
        Map<String, Object> p = new HashMap<>(Map.of("embedding_dim", 8, "batch_size", 64, "lr", 0.01, "feature_dim", 4));
        p.putAll(params);
        return f.create(Hyperparams.resolve(f.hyperParameters(), p, Map.of()), data, seed);
    }

    @Test
    void featuresBecomeGraphInputsAndTheModelTrains() {
        RecsysModel m = (RecsysModel) model(RecsysFactory.deepAndCross(),
                Map.of("deep", "16", "user_features", ALL_USER, "movie_features", "title, year ,genres"), DATA, 1);
        assertEquals(List.of("user", "item", "user_age", "user_gender", "user_occupation", "user_zip", "movie_genres", "movie_year", "movie_title"),
                m.network().getConfiguration().getNetworkInputs());
        int x0 = 2 * 8 + 7 * 4;
        assertEquals(x0, m.network().getLayer("deep0").getParam("W").size(0), "x0 = both id embeddings + 7 features of width 4");
        double first = m.trainEpoch(1), last = first;
        for (int e = 2; e <= 4; e++) last = m.trainEpoch(e);
        assertTrue(last < first, "loss " + first + " -> " + last);
        assertTrue(Double.isFinite(m.evaluate(TrialModel.Split.TEST).get("rmse")));
    }

    @Test
    void idsOnlyKeepTheIdOnlyGraphEvenOnFeaturedData() {
        RecsysModel plain = (RecsysModel) model(RecsysFactory.twoTower(), Map.of(), DATA.ratings(), 1);
        RecsysModel featured = (RecsysModel) model(RecsysFactory.twoTower(), Map.of(), DATA, 1);
        assertEquals(List.of("user", "item"), featured.network().getConfiguration().getNetworkInputs());
        assertEquals(plain.network().params(), featured.network().params());
    }

    @Test
    void aGenderByGenreSignalReachesUnseenUsersOnlyThroughFeatures() {
        double idsOnly = trainedTestRmse(Map.of());
        double withFeatures = trainedTestRmse(Map.of("user_features", ALL_USER, "movie_features", ALL_MOVIE));
        assertTrue(withFeatures < 0.6 * idsOnly, "test RMSE of users unseen in training: ids " + idsOnly + ", all features " + withFeatures);
    }

    private static double trainedTestRmse(Map<String, Object> features) {
        Map<String, Object> p = new HashMap<>(Map.of("deep", "16", "structure", "parallel"));
        p.putAll(features);
        TrialModel m = model(RecsysFactory.deepAndCross(), p, DATA, 2);
        for (int e = 1; e <= 8; e++) m.trainEpoch(e);
        return m.evaluate(TrialModel.Split.TEST).get("rmse");
    }

    @Test
    void twoTowerFeatureTowersAreProjectedToTheEmbeddingWidthAndReachUnseenUsers() {
        RecsysModel idsOnly = (RecsysModel) model(RecsysFactory.twoTower(), Map.of("rating_weight", 1.0), DATA, 3);
        RecsysModel featured = (RecsysModel) model(RecsysFactory.twoTower(),
                Map.of("rating_weight", 1.0, "user_features", "gender,age", "movie_features", "genres,title", "retrieval_correction", "logq"), DATA, 3);
        for (int e = 1; e <= 8; e++) {
            idsOnly.trainEpoch(e);
            featured.trainEpoch(e);
        }
        assertArrayEquals(new long[]{USERS, 8}, featured.userEmbeddings().shape());
        assertArrayEquals(new long[]{MOVIES, 8}, featured.itemEmbeddings().shape());
        double ids = idsOnly.evaluate(TrialModel.Split.TEST).get("rmse");
        Map<String, Double> withFeatures = featured.evaluate(TrialModel.Split.TEST);
        assertTrue(withFeatures.get("rmse") < 0.75 * ids, "unseen users' RMSE: ids " + ids + ", features " + withFeatures.get("rmse"));
        assertTrue(withFeatures.keySet().containsAll(RecsysFactory.twoTower().metricNames()));
    }

    @Test
    void unknownFeatureNamesAreRejectedWithTheValidOnes() {
        IllegalArgumentException user = assertThrows(IllegalArgumentException.class,
                () -> model(RecsysFactory.twoTower(), Map.of("user_features", "age,income"), DATA, 1));
        assertTrue(user.getMessage().contains("user_features: unknown feature 'income'"), user.getMessage());
        assertTrue(user.getMessage().contains("valid: age, gender, occupation, zip"), user.getMessage());
        IllegalArgumentException movie = assertThrows(IllegalArgumentException.class,
                () -> model(RecsysFactory.deepAndCross(), Map.of("movie_features", "gender"), DATA, 1));
        assertTrue(movie.getMessage().contains("valid: genres, year, title"), movie.getMessage());
        assertThrows(IllegalArgumentException.class, () -> model(RecsysFactory.ranking(), Map.of("movie_features", "year,year"), DATA, 1));
    }

    @Test
    void featuresWithoutFeaturedDataAskForTheDatasetOption() {
        RatingSplits plain = DATA.ratings();
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> model(RecsysFactory.deepAndCross(), Map.of("user_features", "gender"), plain, 1));
        assertTrue(e.getMessage().contains("dataset.options.features: true"), e.getMessage());
        assertDoesNotThrow(() -> model(RecsysFactory.deepAndCross(), Map.of(), plain, 1));
    }

    @Test
    void aFeaturedTwoTowerTrialResumesExactlyFromACheckpoint() throws IOException {
        Checkpoints.assertResumesExactly(() -> model(RecsysFactory.twoTower(), Map.of("rating_weight", 1.0,
                "user_features", ALL_USER, "movie_features", ALL_MOVIE), DATA, 5), 2, 3);
    }

    @Test
    void anExportedFeaturedDcnReloadsAndTakesTheSameInputs(@org.junit.jupiter.api.io.TempDir java.nio.file.Path dir) throws Exception {
        RecsysModel m = (RecsysModel) model(RecsysFactory.deepAndCross(),
                Map.of("deep", "8", "user_features", "gender,zip", "movie_features", "title"), DATA, 1);
        m.trainEpoch(1);
        java.nio.file.Path zip = org.cinelab.models.dl4j.ExportedModels.export(m, dir);
        org.deeplearning4j.nn.graph.ComputationGraph restored = org.deeplearning4j.util.ModelSerializer.restoreComputationGraph(zip.toFile(), true);
        INDArray[] in = RecsysGraphs.inputs(RecsysSettings.from(RecsysSettings.Kind.DCN, Hyperparams.resolve(RecsysFactory.deepAndCross().hyperParameters(),
                Map.of("user_features", "gender,zip", "movie_features", "title"), Map.of())), DATA.features()).ids(new int[]{0, 5, 170}, new int[]{1, 2, 3});
        assertEquals(m.network().output(false, in)[0], restored.output(false, in)[0]);
        assertTrue(java.nio.file.Files.readString(dir.resolve("README.txt")).contains("user_gender, user_zip, movie_title"));
    }
}
