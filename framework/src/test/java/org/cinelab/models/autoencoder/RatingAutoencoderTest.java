package org.cinelab.models.autoencoder;

import org.cinelab.data.RatingSplits;
import org.cinelab.space.Hyperparams;
import org.cinelab.models.zoo.ModelRegistry;
import org.cinelab.models.TrialModel;
import org.cinelab.models.dl4j.Checkpoints;
import org.cinelab.models.dl4j.GeneratedRatings;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.util.HashMap;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.*;

class RatingAutoencoderTest {
    private static final RatingSplits DATA = GeneratedRatings.splits(80, 60, 2400, 3);

    private static RatingAutoencoder model(RatingAutoencoderFactory f, Map<String, Object> params, long seed) {
        return (RatingAutoencoder) f.create(Hyperparams.resolve(f.hyperParameters(), params, Map.of()), DATA, seed);
    }

    @Test
    void bothVariantsAreRegistered() {
        assertTrue(ModelRegistry.find("stacked-autoencoder").isPresent());
        assertTrue(ModelRegistry.find("autorec").isPresent());
    }

    @Test
    void itemAutoRecLearnsToBeatTheMeanRating() {
        RatingAutoencoder m = model(RatingAutoencoderFactory.autoRec(), Map.of("hidden", "32", "lr", 0.01, "batch_size", 16), 1);
        double first = m.trainEpoch(1), last = first;
        for (int e = 2; e <= 40; e++) last = m.trainEpoch(e);
        assertTrue(last < first * 0.5, "train loss " + first + " -> " + last);
        double rmse = m.evaluate(TrialModel.Split.VALIDATION).get("rmse");
        assertTrue(rmse < GeneratedRatings.meanBaselineRmse(DATA, DATA.validation()), "validation RMSE " + rmse);
    }

    @Test
    void reportsPooledAndPerUserErrors() {
        Map<String, Double> m = model(RatingAutoencoderFactory.stackedAutoencoder(), Map.of(), 1).evaluate(TrialModel.Split.TEST);
        assertEquals(java.util.Set.of("rmse", "mae", "user_rmse"), m.keySet());
        assertNotEquals(m.get("rmse"), m.get("user_rmse"));
    }

    @Test
    void aShuffledTrialResumesExactlyFromACheckpoint() throws IOException {
        Checkpoints.assertResumesExactly(() -> model(RatingAutoencoderFactory.autoRec(),
                Map.of("hidden", "16", "batch_size", 8, "dropout", 0.2), 5), 2, 4);
    }

    @Test
    void anAccumulatingTrialResumesExactlyFromACheckpoint() throws IOException {
        Checkpoints.assertResumesExactly(() -> model(RatingAutoencoderFactory.stackedAutoencoder(),
                Map.of("hidden", "8,4,8", "accumulate_gradients", true, "weight_decay", 0.5), 5), 2, 3);
    }

    @Test
    void accumulationFirstMatchesThenDepartsFromClearedGradients() {
        Map<String, Object> p = new HashMap<>(Map.of("hidden", "8", "optimizer", "sgd", "lr", 0.01, "batch_size", 1000));
        RatingAutoencoder cleared = model(RatingAutoencoderFactory.stackedAutoencoder(), p, 9);
        p.put("accumulate_gradients", true);
        RatingAutoencoder accumulating = model(RatingAutoencoderFactory.stackedAutoencoder(), p, 9);
        cleared.trainEpoch(1);
        accumulating.trainEpoch(1);
        assertEquals(cleared.network().params(), accumulating.network().params(), "one step: the sum is the gradient");
        cleared.trainEpoch(2);
        accumulating.trainEpoch(2);
        assertNotEquals(cleared.network().params(), accumulating.network().params());
    }

    @Test
    void theCourseNetworkLearnsTheSameCurveWithCineLabsTrainerAsWithDl4jsFit() {
        Map<String, Object> course = new HashMap<>(Map.of("hidden", "20,10,20", "accumulate_gradients", true, "weight_decay", 0.5));
        RatingAutoencoder fused = model(RatingAutoencoderFactory.stackedAutoencoder(), course, 4);
        course.put("engine", "dl4j");
        RatingAutoencoder dl4j = model(RatingAutoencoderFactory.stackedAutoencoder(), course, 4);
        assertEquals(Map.of("cinelab.trainer", "cinelab"), fused.tags(), "the dense trainer takes the course network");
        assertEquals(Map.of("cinelab.trainer", "dl4j fit: engine: dl4j"), dl4j.tags());
        for (int e = 1; e <= 6; e++) {
            double a = fused.trainEpoch(e), b = dl4j.trainEpoch(e);
            assertEquals(b, a, 1e-3 * b, "epoch " + e + " training loss");
        }
        double a = fused.evaluate(TrialModel.Split.VALIDATION).get("rmse"), b = dl4j.evaluate(TrialModel.Split.VALIDATION).get("rmse");
        assertEquals(b, a, 1e-3 * b, "validation RMSE");
    }

    @Test
    void theExportedNetworkReloadsAndReconstructsTheSame(@org.junit.jupiter.api.io.TempDir java.nio.file.Path dir) throws Exception {
        RatingAutoencoder m = model(RatingAutoencoderFactory.autoRec(), Map.of("hidden", "16"), 2);
        m.trainEpoch(1);
        java.nio.file.Path zip = org.cinelab.models.dl4j.ExportedModels.export(m, dir);
        org.deeplearning4j.nn.multilayer.MultiLayerNetwork restored =
                org.deeplearning4j.util.ModelSerializer.restoreMultiLayerNetwork(zip.toFile(), true);
        org.nd4j.linalg.api.ndarray.INDArray x = org.nd4j.linalg.factory.Nd4j.rand(org.nd4j.linalg.api.buffer.DataType.FLOAT, 3, DATA.numUsers());
        assertEquals(m.network().output(x), restored.output(x));
    }

}
