package org.cinelab.models.timeseries;

import org.cinelab.data.RatingSplits;
import org.cinelab.data.split.SlidingWindows;
import org.cinelab.space.Hyperparams;
import org.cinelab.models.ModelFactory;
import org.cinelab.models.zoo.ModelRegistry;
import org.cinelab.models.TrialModel;
import org.cinelab.models.dl4j.Checkpoints;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.util.HashMap;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.*;

class TimeLstmModelTest {
    private static final RatingSplits DATA = TimedRatings.splits(80, 30, 25, 3, 11);
    private static final ModelFactory F = ModelRegistry.find("time-lstm").orElseThrow();

    private static TrialModel model(Map<String, Object> overrides, long seed) {
        Map<String, Object> p = new HashMap<>(Map.of("window", 5, "clusters", 3, "units", 16, "batch_size", 32, "lr", 0.01));
        p.putAll(overrides);
        return F.create(Hyperparams.resolve(F.hyperParameters(), p, Map.of()), DATA, seed);
    }

    @Test
    void theLabelRatingIsNeverAnInput() {
        SlidingWindows.Parts parts = TimeLstmModel.windowsOf(DATA, 5);
        WindowFeatures f = WindowFeatures.fit(parts, MovieClusters.fit(DATA.train(), 80, 30, 3, 20, 1, -1));
        int[] items = {0, 1, 2, 3, 4};
        long[] gaps = {0, 86_400, 86_400, 172_800, 86_400};
        float[] a = new float[f.channels() * 5], b = new float[f.channels() * 5];
        f.encode(items, new float[]{4, 3, 5, 2, 1}, gaps, a, 0);
        f.encode(items, new float[]{4, 3, 5, 2, 5}, gaps, b, 0);
        assertArrayEquals(a, b);
        float[] c = new float[f.channels() * 5];
        f.encode(items, new float[]{4, 3, 5, 5, 1}, gaps, c, 0);
        assertFalse(java.util.Arrays.equals(a, c), "an earlier rating is an input");
    }

    @Test
    void clusterLstmLearnsToBeatTheMeanRating() {
        TrialModel m = model(Map.of(), 1);
        for (int e = 1; e <= 25; e++) m.trainEpoch(e);
        SlidingWindows.Parts parts = TimeLstmModel.windowsOf(DATA, 5);
        double rmse = m.evaluate(TrialModel.Split.VALIDATION).get("rmse");
        double baseline = TimedRatings.meanBaselineRmse(DATA, parts, parts.validation());
        assertTrue(rmse < 0.9 * baseline, "validation RMSE " + rmse + ", mean rating " + baseline);
    }

    @Test
    void embeddingLstmWithScaledSigmoidPredictsInsideTheRatingRange() {
        TrialModel m = model(Map.of("movie_features", "embedding", "movie_embedding_dim", 4, "final_activation", "sigmoid",
                "layers", 2, "dropout", 0.2, "clip", false), 2);
        for (int e = 1; e <= 3; e++) assertTrue(Double.isFinite(m.trainEpoch(e)));
        Map<String, Double> test = m.evaluate(TrialModel.Split.TEST);
        assertTrue(test.get("rmse") < 4.0, test.toString());
    }

    /**
     * Same seed, same initial weights: CineLab's layers and DL4J's agree to float rounding. (With dropout
     * on the output layer they draw different masks, with the same distribution: the fused LSTM's output
     * is time-major, DL4J's column-major, and DL4J draws a dropout mask in memory order.)
     */
    @Test
    void cinelabAndDl4jLayersTrainToTheSameModel() {
        for (Map<String, Object> settings : java.util.List.<Map<String, Object>>of(Map.of("layers", 2),
                Map.of("movie_features", "embedding", "movie_embedding_dim", 4, "final_activation", "sigmoid"))) {
            Map<String, Object> p = new HashMap<>(settings);
            p.put("lstm_impl", "dl4j");
            TrialModel dl4j = model(p, 3);
            p.put("lstm_impl", "cinelab");
            TrialModel cinelab = model(p, 3);
            assertEquals(Map.of("cinelab.trainer", "dl4j fit: lstm_impl: dl4j"), dl4j.tags());
            assertEquals(Map.of("cinelab.trainer", "cinelab"), cinelab.tags(), "CineLab's layers train with CineLab's trainer");
            for (int e = 1; e <= 3; e++) {
                double expected = dl4j.trainEpoch(e), actual = cinelab.trainEpoch(e);
                assertEquals(expected, actual, 1e-4 * expected, settings + " epoch " + e);
                // evaluated between epochs, as trials are: DL4J's output against CineLab's inference
                Map<String, Double> want = dl4j.evaluate(TrialModel.Split.VALIDATION), got = cinelab.evaluate(TrialModel.Split.VALIDATION);
                assertEquals(want.keySet(), got.keySet());
                for (String metric : want.keySet()) {
                    assertEquals(want.get(metric), got.get(metric), 1e-4 * Math.max(1, Math.abs(want.get(metric))), settings + " epoch " + e + " " + metric);
                }
            }
            assertEquals(dl4j.evaluate(TrialModel.Split.TEST).get("rmse"), cinelab.evaluate(TrialModel.Split.TEST).get("rmse"), 1e-4, settings.toString());
        }
    }

    @Test
    void theSameSeedGivesTheSameModel() {
        TrialModel a = model(Map.of("dropout", 0.3, "layers", 2), 4), b = model(Map.of("dropout", 0.3, "layers", 2), 4);
        for (int e = 1; e <= 2; e++) assertEquals(a.trainEpoch(e), b.trainEpoch(e));
        assertEquals(a.evaluate(TrialModel.Split.TEST), b.evaluate(TrialModel.Split.TEST));
    }

    @Test
    void twoEpochsSavedAndResumedForOneMoreEqualThreeEpochs() throws IOException {
        Checkpoints.assertResumesExactly(() -> model(Map.of("dropout", 0.2, "layers", 2, "final_activation", "gelu"), 5), 2, 3);
    }

    @Test
    void anEmbeddingTrialResumesExactly() throws IOException {
        Checkpoints.assertResumesExactly(() -> model(Map.of("movie_features", "embedding", "movie_embedding_dim", 4), 6), 2, 3);
    }
}
