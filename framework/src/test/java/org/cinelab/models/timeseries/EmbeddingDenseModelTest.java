package org.cinelab.models.timeseries;

import org.cinelab.data.RatingSplits;
import org.cinelab.space.Hyperparams;
import org.cinelab.models.ModelFactory;
import org.cinelab.models.zoo.ModelRegistry;
import org.cinelab.models.TrialModel;
import org.cinelab.models.dl4j.Checkpoints;
import org.cinelab.models.dl4j.GeneratedRatings;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.io.IOException;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.*;

class EmbeddingDenseModelTest {
    private static final RatingSplits DATA = GeneratedRatings.splits(60, 40, 3000, 7);
    private static final ModelFactory F = ModelRegistry.find("embedding-dense").orElseThrow();

    private static TrialModel model(long seed) {
        return F.create(Hyperparams.resolve(F.hyperParameters(), Map.of("embedding_dim", 8, "hidden", "32,16,8", "batch_size", 64, "lr", 0.01, "dropout", 0.1),
                Map.of()), DATA, seed);
    }

    @Test
    void theStudyArchitectureHas256_128_64ReluLayersAfterTheEmbeddings() {
        TrialModel m = F.create(Hyperparams.resolve(F.hyperParameters(), Map.of("embedding_dim", 8), Map.of()), DATA, 1);
        long embeddings = (60 + 40) * 8L;
        long dense = (16 * 256 + 256) + (256 * 128 + 128) + (128 * 64 + 64) + (64 + 1);
        assertEquals(embeddings + dense, m.parameterCount());
    }

    @Test
    void learnsToBeatTheMeanRating() {
        TrialModel m = model(1);
        for (int e = 1; e <= 25; e++) m.trainEpoch(e);
        double rmse = m.evaluate(TrialModel.Split.VALIDATION).get("rmse");
        assertTrue(rmse < 0.9 * GeneratedRatings.meanBaselineRmse(DATA, DATA.validation()), "validation RMSE " + rmse);
    }

    @Test
    void theSameSeedGivesTheSameModel() {
        TrialModel a = model(4), b = model(4);
        for (int e = 1; e <= 2; e++) assertEquals(a.trainEpoch(e), b.trainEpoch(e));
        assertEquals(a.evaluate(TrialModel.Split.TEST), b.evaluate(TrialModel.Split.TEST));
    }

    @Test
    void twoEpochsSavedAndResumedForOneMoreEqualThreeEpochs() throws IOException {
        Checkpoints.assertResumesExactly(() -> model(5), 2, 3);
    }

    /** At batch 3 the trainer zeroes the 60 users' gradient by the previous step's rows, the 40 movies' whole. */
    @ParameterizedTest
    @ValueSource(ints = {64, 3})
    void cineLabsTrainerTrainsAsDl4jsFitDropoutIncluded(int batch) {
        Map<String, Object> p = new java.util.HashMap<>(Map.of("embedding_dim", 8, "hidden", "32,16,8", "batch_size", batch, "lr", 0.01, "dropout", 0.2));
        EmbeddingDenseModel fused = (EmbeddingDenseModel) F.create(Hyperparams.resolve(F.hyperParameters(), p, Map.of()), DATA, 4);
        p.put("engine", "dl4j");
        EmbeddingDenseModel dl4j = (EmbeddingDenseModel) F.create(Hyperparams.resolve(F.hyperParameters(), p, Map.of()), DATA, 4);
        assertEquals(Map.of("cinelab.trainer", "cinelab"), fused.tags());
        assertEquals(Map.of("cinelab.trainer", "dl4j fit: engine: dl4j"), dl4j.tags());
        for (int e = 1; e <= 2; e++) {
            assertEquals(dl4j.trainEpoch(e), fused.trainEpoch(e), 1e-4, "epoch " + e + " loss");
            double diff = dl4j.network().params().sub(fused.network().params()).amaxNumber().doubleValue();
            assertTrue(diff < 1e-4 * dl4j.network().params().amaxNumber().doubleValue(), "epoch " + e + ": parameters differ by " + diff);
        }
    }
}
