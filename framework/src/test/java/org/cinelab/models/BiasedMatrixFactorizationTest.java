package org.cinelab.models;

import org.cinelab.space.Hyperparams;
import org.cinelab.data.DatasetRequest;
import org.cinelab.data.sets.MovieLens100k;
import org.cinelab.data.RatingSplits;
import org.cinelab.data.RatingTable;
import org.cinelab.testing.SharedData;
import org.junit.jupiter.api.Test;

import java.io.*;
import java.util.Map;
import java.util.SplittableRandom;

import static org.junit.jupiter.api.Assertions.*;

class BiasedMatrixFactorizationTest {
    private final BiasedMatrixFactorization factory = new BiasedMatrixFactorization();

    /** Ratings generated from a known rank-2 model plus noise, so the test needs no shared data. */
    static RatingSplits synthetic(long seed) {
        int users = 60, items = 40;
        SplittableRandom rng = new SplittableRandom(seed);
        double[][] pu = new double[users][2], qi = new double[items][2];
        for (double[] v : pu) { v[0] = rng.nextDouble() * 2 - 1; v[1] = rng.nextDouble() * 2 - 1; }
        for (double[] v : qi) { v[0] = rng.nextDouble() * 2 - 1; v[1] = rng.nextDouble() * 2 - 1; }
        int n = 1500;
        int[] u = new int[n], it = new int[n];
        float[] r = new float[n];
        long[] t = new long[n];
        for (int j = 0; j < n; j++) {
            u[j] = rng.nextInt(users);
            it[j] = rng.nextInt(items);
            double v = 3 + 1.5 * (pu[u[j]][0] * qi[it[j]][0] + pu[u[j]][1] * qi[it[j]][1]) + 0.1 * (rng.nextDouble() - 0.5);
            r[j] = (float) Math.max(1, Math.min(5, v));
        }
        RatingTable all = new RatingTable(u, it, r, t);
        int[] train = new int[1200], val = new int[150], test = new int[150];
        for (int j = 0; j < n; j++) {
            if (j < 1200) train[j] = j; else if (j < 1350) val[j - 1200] = j; else test[j - 1350] = j;
        }
        return new RatingSplits(all.select(train), all.select(val), all.select(test), users, items, 1, 5,
                Map.of(), "synthetic", "synthetic");
    }

    private TrialModel model(RatingSplits data, int factors, long seed) {
        return factory.create(Hyperparams.resolve(factory.hyperParameters(), Map.of("factors", factors, "lr", 0.02), Map.of()), data, seed);
    }

    @Test
    void trainingReducesTheTrainingLossAndBeatsTheGlobalMean() {
        RatingSplits data = synthetic(3);
        TrialModel m = model(data, 4, 11);
        double first = m.trainEpoch(1);
        double last = first;
        for (int e = 2; e <= 60; e++) last = m.trainEpoch(e);
        assertTrue(last < first * 0.5, "loss " + first + " -> " + last);
        double mean = data.train().meanRating();
        double sse = 0;
        for (int j = 0; j < data.validation().size(); j++) sse += Math.pow(data.validation().rating(j) - mean, 2);
        double baseline = Math.sqrt(sse / data.validation().size());
        assertTrue(m.evaluate(TrialModel.Split.VALIDATION).get("rmse") < baseline * 0.8);
    }

    @Test
    void aCheckpointedModelContinuesExactlyAsIfNeverStopped() throws IOException {
        RatingSplits data = synthetic(5);
        TrialModel straight = model(data, 8, 99);
        for (int e = 1; e <= 6; e++) straight.trainEpoch(e);

        TrialModel first = model(data, 8, 99);
        for (int e = 1; e <= 3; e++) first.trainEpoch(e);
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        first.saveCheckpoint(new DataOutputStream(bytes));
        TrialModel resumed = model(data, 8, 99);
        resumed.loadCheckpoint(new DataInputStream(new ByteArrayInputStream(bytes.toByteArray())));
        for (int e = 4; e <= 6; e++) resumed.trainEpoch(e);

        assertEquals(straight.evaluate(TrialModel.Split.TEST), resumed.evaluate(TrialModel.Split.TEST));
    }

    @Test
    void aCheckpointOfAnotherShapeIsRefused() throws IOException {
        RatingSplits data = synthetic(5);
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        model(data, 8, 1).saveCheckpoint(new DataOutputStream(bytes));
        IOException e = assertThrows(IOException.class,
                () -> model(data, 4, 1).loadCheckpoint(new DataInputStream(new ByteArrayInputStream(bytes.toByteArray()))));
        assertTrue(e.getMessage().contains("8 factors"));
    }

    @Test
    void reachesSurpriseLevelTestRmseOnMovieLensU1() throws IOException {
        RatingSplits data = (RatingSplits) new MovieLens100k().load(
                new DatasetRequest("u1", Map.of(), 42, SharedData.require(), m -> {}));
        TrialModel m = factory.create(Hyperparams.resolve(factory.hyperParameters(), Map.of(), Map.of()), data, 1);
        for (int e = 1; e <= 20; e++) m.trainEpoch(e);
        double rmse = m.evaluate(TrialModel.Split.TEST).get("rmse");
        assertTrue(rmse < 0.96, "test RMSE " + rmse);
    }
}
