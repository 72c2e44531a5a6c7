package org.cinelab.models.recsys;

import org.cinelab.models.dl4j.ProcessThreads;
import org.cinelab.data.RatingSplits;
import org.cinelab.space.Hyperparams;
import org.cinelab.models.ModelFactory;
import org.cinelab.models.zoo.ModelRegistry;
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
        return f.create(Hyperparams.resolve(f.hyperParameters(), p, Map.of()), DATA, seed);
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

    /** Users in group u % 4 rate (almost only) the ten movies of group item % 4: a pattern retrieval can learn. */
    private static RatingSplits grouped() {
        java.util.SplittableRandom rng = new java.util.SplittableRandom(1);
        int n = 3000;
        int[] u = new int[n], it = new int[n];
        float[] r = new float[n];
        for (int j = 0; j < n; j++) {
            u[j] = rng.nextInt(60);
            it[j] = rng.nextDouble() < 0.9 ? 4 * rng.nextInt(10) + u[j] % 4 : rng.nextInt(40);
            r[j] = 1 + rng.nextInt(5);
        }
        org.cinelab.data.RatingTable all = new org.cinelab.data.RatingTable(u, it, r, new long[n]);
        int[] train = java.util.stream.IntStream.range(0, 2400).toArray();
        int[] val = java.util.stream.IntStream.range(2400, 2700).toArray();
        int[] test = java.util.stream.IntStream.range(2700, 3000).toArray();
        return new RatingSplits(all.select(train), all.select(val), all.select(test), 60, 40, 1, 5, Map.of(), "grouped", "grouped");
    }

    @Test
    void twoTowerRetrievalLearnsWhichMoviesUsersRate() {
        RatingSplits data = grouped();
        ModelFactory f = RecsysFactory.twoTower();
        TrialModel m = f.create(Hyperparams.resolve(f.hyperParameters(), Map.of("embedding_dim", 8, "batch_size", 64, "lr", 0.01), Map.of()), data, 3);
        Map<String, Double> before = m.evaluate(TrialModel.Split.TEST);
        double first = m.trainEpoch(1), last = first;
        for (int e = 2; e <= 15; e++) last = m.trainEpoch(e);
        Map<String, Double> after = m.evaluate(TrialModel.Split.TEST);
        assertTrue(last < first, "in-batch loss " + first + " -> " + last);
        assertTrue(after.get("top_10_accuracy") > 0.6, "top-10 of 40 movies, 9 in 10 test movies in the user's group of 10: " + before + " -> " + after);
        assertTrue(after.keySet().containsAll(f.metricNames()), after.keySet().toString());
        for (String metric : new String[]{"top_10_accuracy", "top_50_accuracy", "top_100_accuracy"}) {
            assertTrue(after.get(metric + "_excl_train") >= after.get(metric),
                    "fewer candidates can only lift a held-out movie's rank: " + after);
        }
        assertEquals(1.0, after.get("top_50_accuracy"), "k = 50 covers all 40 movies");
    }

    /**
     * The in-batch softmax's rows are split over the threads from a batch of 182 on (SplitLoop.SPLIT_MIN
     * logits): trained on 2 threads, a joint two-tower model ends with the same bits run after run, and
     * with 1 thread's to float rounding (split products round their sums in other blocks, so not to the
     * bit; a row left out of either lane's range moves the loss in its fourth digit).
     */
    @Test
    void onTwoThreadsTheTwoTowerTrainerTakesTheSameStepsAsOnOne() {
        Map<String, Object> settings = Map.of("embedding_dim", 8, "batch_size", 1024, "deep", "16", "rating_weight", 1.0,
                "retrieval_correction", "logq");
        int[] threadsOfRun = {1, 2, 2};
        double[] loss = new double[3];
        org.nd4j.linalg.api.ndarray.INDArray[] params = new org.nd4j.linalg.api.ndarray.INDArray[3];
        for (int run = 0; run < 3; run++) {
            int r = run;
            ProcessThreads.with(threadsOfRun[run], () -> {
                ModelFactory f = RecsysFactory.twoTower();
                RecsysModel m = (RecsysModel) f.create(Hyperparams.resolve(f.hyperParameters(), settings, Map.of()), grouped(), 3);
                assertEquals(Map.of("cinelab.trainer", "cinelab"), m.tags());
                for (int e = 1; e <= 3; e++) loss[r] = m.trainEpoch(e);
                params[r] = m.network().params().dup();
            });
        }
        assertEquals(loss[1], loss[2], 0, "the last epoch's loss, run again on 2 threads");
        assertEquals(params[1], params[2]);
        assertEquals(loss[0], loss[1], 1e-9 * loss[0], "the last epoch's loss, 1 thread against 2");
        double diff = params[0].sub(params[1]).amaxNumber().doubleValue(), scale = params[0].amaxNumber().doubleValue();
        assertTrue(diff < 1e-5 * scale, "parameters on 1 and 2 threads differ by " + diff + " (largest " + scale + ")");
    }

    @Test
    void twoTowerValidationReportsTheSharedRetrievalMetrics() {
        ModelFactory f = RecsysFactory.twoTower();
        Map<String, Double> validation = model(f, Map.of(), 2).evaluate(TrialModel.Split.VALIDATION);
        assertTrue(validation.keySet().containsAll(f.metricNames()), validation.keySet().toString());
        assertTrue(f.metricNames().containsAll(java.util.List.of("top_100_accuracy", "recall_10", "ndcg_50", "top_10_accuracy_excl_train")));
        assertEquals("top_100_accuracy", f.defaultObjectiveMetric());
        assertFalse(f.lowerIsBetter("ndcg_10_excl_train"));
        assertTrue(f.lowerIsBetter("retrieval_loss"));
    }

    @Test
    void aRetrievalOnlyModelLeavesItsRatingHeadUntrained() {
        RecsysModel m = (RecsysModel) model(RecsysFactory.twoTower(), Map.of("retrieval_weight", 1.0, "rating_weight", 0.0, "deep", "8"), 3);
        org.nd4j.linalg.api.ndarray.INDArray head = m.network().getLayer(RecsysGraphs.RATING).params().dup();
        org.nd4j.linalg.api.ndarray.INDArray deep = m.network().getLayer("deep0").params().dup();
        org.nd4j.linalg.api.ndarray.INDArray users = m.network().getLayer(RecsysGraphs.USER_TOWER).params().dup();
        for (int e = 1; e <= 2; e++) m.trainEpoch(e);
        assertEquals(head, m.network().getLayer(RecsysGraphs.RATING).params());
        assertEquals(deep, m.network().getLayer("deep0").params());
        assertNotEquals(users, m.network().getLayer(RecsysGraphs.USER_TOWER).params());
    }

    @Test
    void aJointTrialResumesExactlyFromACheckpoint() throws IOException {
        Checkpoints.assertResumesExactly(() -> model(RecsysFactory.twoTower(),
                Map.of("retrieval_weight", 1.0, "rating_weight", 1.0), 5), 2, 4);
    }

    @Test
    void anExportedJointDcnGraphReloadsWithItsCustomLayerAndLoss(@org.junit.jupiter.api.io.TempDir java.nio.file.Path dir) throws Exception {
        for (TrialModel m : new TrialModel[]{model(RecsysFactory.deepAndCross(), Map.of("deep", "8", "cross_rank", 2), 1),
                model(RecsysFactory.twoTower(), Map.of("rating_weight", 1.0), 1)}) {
            m.trainEpoch(1);
            java.nio.file.Path sub = dir.resolve(Integer.toString(System.identityHashCode(m)));
            java.nio.file.Path zip = org.cinelab.models.dl4j.ExportedModels.export(m, sub);
            org.deeplearning4j.nn.graph.ComputationGraph restored =
                    org.deeplearning4j.util.ModelSerializer.restoreComputationGraph(zip.toFile(), true);
            org.nd4j.linalg.api.ndarray.INDArray[] in = new RecsysInputs().ids(new int[]{0, 5, 9}, new int[]{1, 2, 3});
            assertEquals(((RecsysModel) m).network().output(false, in)[0], restored.output(false, in)[0]);
        }
    }

    @Test
    void aDcnTrialResumesExactlyFromACheckpoint() throws IOException {
        Checkpoints.assertResumesExactly(() -> model(RecsysFactory.deepAndCross(), Map.of("deep", "8"), 5), 2, 3);
    }

    /**
     * CineLab's tower trainer takes the steps DL4J's fit takes: from the same seed, every epoch's loss
     * and the parameters after it agree to float rounding, for the rating head alone (with and
     * without dense layers, with L2, with AdaGrad), with the in-batch softmax (weights, sum reduction, log q) and
     * with DCN's cross network, stacked (full and low rank, with dropout on the head, L2, weight
     * decay, straight into the rating) and parallel (with and without dense layers beside it).
     */
    @ParameterizedTest(name = "{0} {1}")
    @org.junit.jupiter.params.provider.MethodSource("towerSettings")
    void theTowerTrainerTrainsAsDl4jsFit(String type, Map<String, Object> settings) {
        ModelFactory f = ModelRegistry.find(type).orElseThrow();
        Map<String, Object> p = new HashMap<>(settings);
        RecsysModel fused = (RecsysModel) model(f, p, 3);
        p.put("engine", "dl4j");
        RecsysModel dl4j = (RecsysModel) model(f, p, 3);
        assertEquals(Map.of("cinelab.trainer", "cinelab"), fused.tags(), "the tower trainer takes this graph");
        assertEquals(Map.of("cinelab.trainer", "dl4j fit: engine: dl4j"), dl4j.tags());
        for (int e = 1; e <= 2; e++) {
            double a = fused.trainEpoch(e), b = dl4j.trainEpoch(e);
            assertEquals(b, a, 1e-4 * Math.abs(b), "epoch " + e + " loss");
            double scale = dl4j.network().params().amaxNumber().doubleValue();
            double diff = dl4j.network().params().sub(fused.network().params()).amaxNumber().doubleValue();
            assertTrue(diff < 1e-4 * scale, "epoch " + e + ": parameters differ by " + diff + " (largest " + scale + ")");
        }
    }

    static java.util.stream.Stream<org.junit.jupiter.params.provider.Arguments> towerSettings() {
        return java.util.stream.Stream.of(
                org.junit.jupiter.params.provider.Arguments.of("ranking", Map.of("deep", java.util.List.of(16, 8))),
                org.junit.jupiter.params.provider.Arguments.of("ranking", Map.of("deep", java.util.List.of(), "l2", 0.01)),
                // the TFRS study's optimiser (s2-ranking, s2-rating, s2-retrieval, s2-joint)
                org.junit.jupiter.params.provider.Arguments.of("ranking", Map.of("deep", java.util.List.of(16, 8), "optimizer", "adagrad")),
                org.junit.jupiter.params.provider.Arguments.of("two-tower", Map.of("deep", java.util.List.of(16), "optimizer", "adagrad")),
                org.junit.jupiter.params.provider.Arguments.of("two-tower", Map.of("deep", java.util.List.of(16))),
                org.junit.jupiter.params.provider.Arguments.of("ranking", Map.of("deep", java.util.List.of(16, 8), "dropout", 0.3)),
                org.junit.jupiter.params.provider.Arguments.of("two-tower", Map.of("deep", java.util.List.of(16), "dropout", 0.2)),
                org.junit.jupiter.params.provider.Arguments.of("two-tower", Map.of("retrieval_correction", "logq", "retrieval_reduction", "sum",
                        "rating_weight", 0.5, "weight_decay", 0.01)),
                org.junit.jupiter.params.provider.Arguments.of("dcn", Map.of("deep", java.util.List.of(16, 8))),
                org.junit.jupiter.params.provider.Arguments.of("dcn", Map.of("deep", java.util.List.of(16), "cross_rank", 4, "cross_layers", 3,
                        "l2", 0.01)),
                org.junit.jupiter.params.provider.Arguments.of("dcn", Map.of("deep", java.util.List.of(16, 8), "dropout", 0.3)),
                org.junit.jupiter.params.provider.Arguments.of("dcn", Map.of("deep", java.util.List.of(), "cross_layers", 1,
                        "weight_decay", 0.01)),
                org.junit.jupiter.params.provider.Arguments.of("dcn", Map.of("structure", "parallel", "deep", java.util.List.of(16, 8))),
                org.junit.jupiter.params.provider.Arguments.of("dcn", Map.of("structure", "parallel", "deep", java.util.List.of(16),
                        "cross_rank", 4, "dropout", 0.2, "activation", "tanh")),
                org.junit.jupiter.params.provider.Arguments.of("dcn", Map.of("structure", "parallel", "deep", java.util.List.of(),
                        "cross_layers", 3)));
    }
}
