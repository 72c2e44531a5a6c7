package org.cinelab.models.recsys;

import org.cinelab.data.RatingSplits;
import org.cinelab.models.Hyperparams;
import org.cinelab.models.ModelFactory;
import org.cinelab.models.ModelRegistry;
import org.cinelab.models.TrialModel;
import org.cinelab.models.dl4j.Checkpoints;
import org.cinelab.models.dl4j.GeneratedRatings;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import java.io.IOException;
import java.util.HashMap;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.*;

class RecsysModelTest {
    private static final RatingSplits DATA = GeneratedRatings.splits(60, 40, 3000, 7);

    private static TrialModel model(ModelFactory f, Map<String, Object> params, long seed) {
        Map<String, Object> p = new HashMap<>(Map.of("embedding_dim", 8, "batch_size", 64, "lr", 0.01));
        p.putAll(params);
        return f.create(Hyperparams.resolve(f, p, Map.of()), DATA, seed);
    }

    @Test
    void rankingDcnAndTwoTowerAreRegistered() {
        for (String type : new String[]{"ranking", "dcn", "two-tower"}) assertTrue(ModelRegistry.find(type).isPresent(), type);
    }

    @ParameterizedTest(name = "{0} {1}")
    @CsvSource({"ranking, {}", "dcn, stacked", "dcn, parallel", "dcn, lowrank"})
    void ratingModelsLearnToBeatTheMeanRating(String type, String variant) {
        ModelFactory f = ModelRegistry.find(type).orElseThrow();
        Map<String, Object> p = new HashMap<>(Map.of("deep", "16"));
        if (variant.equals("parallel")) p.put("structure", "parallel");
        if (variant.equals("lowrank")) p.put("cross_rank", 4);
        TrialModel m = model(f, p, 1);
        for (int e = 1; e <= 30; e++) m.trainEpoch(e);
        double rmse = m.evaluate(TrialModel.Split.VALIDATION).get("rmse");
        assertTrue(rmse < 0.9 * GeneratedRatings.meanBaselineRmse(DATA, DATA.validation()), type + " " + variant + " validation RMSE " + rmse);
    }

    @Test
    void twoTowerRetrievalLearnsWhichMoviesUsersRate() {
        TrialModel m = model(RecsysFactory.twoTower(), Map.of(), 3);
        Map<String, Double> before = m.evaluate(TrialModel.Split.TEST);
        double first = m.trainEpoch(1), last = first;
        for (int e = 2; e <= 20; e++) last = m.trainEpoch(e);
        Map<String, Double> after = m.evaluate(TrialModel.Split.TEST);
        assertTrue(last < first, "in-batch loss " + first + " -> " + last);
        assertTrue(after.get("retrieval_loss") < before.get("retrieval_loss"), before + " -> " + after);
        assertTrue(after.keySet().containsAll(RecsysFactory.twoTower().metricNames()), after.keySet().toString());
    }

    @Test
    void aRetrievalOnlyModelLeavesItsRatingHeadUntrained() {
        TrialModel m = model(RecsysFactory.twoTower(), Map.of("retrieval_weight", 1.0, "rating_weight", 0.0, "clip", false), 3);
        double before = m.evaluate(TrialModel.Split.TEST).get("rmse");
        for (int e = 1; e <= 3; e++) m.trainEpoch(e);
        double after = m.evaluate(TrialModel.Split.TEST).get("rmse");
        assertTrue(after > 2.0, "an untrained rating head is far off (TFRS's retrieval-only row: 3.69), got " + before + " -> " + after);
    }

    @Test
    void aJointTrialResumesExactlyFromACheckpoint() throws IOException {
        Checkpoints.assertResumesExactly(() -> model(RecsysFactory.twoTower(),
                Map.of("retrieval_weight", 1.0, "rating_weight", 1.0), 5), 2, 4);
    }

    @Test
    void aDcnTrialResumesExactlyFromACheckpoint() throws IOException {
        Checkpoints.assertResumesExactly(() -> model(RecsysFactory.deepAndCross(), Map.of("deep", "8"), 5), 2, 3);
    }
}
