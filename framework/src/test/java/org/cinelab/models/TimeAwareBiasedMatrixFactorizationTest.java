package org.cinelab.models;

import org.cinelab.space.Hyperparams;
import org.cinelab.data.RatingSplits;
import org.cinelab.data.RatingTable;
import org.cinelab.spec.SpecException;
import org.cinelab.spec.SpecLoader;
import org.junit.jupiter.api.Test;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;
import java.util.SplittableRandom;

import static org.junit.jupiter.api.Assertions.*;

class TimeAwareBiasedMatrixFactorizationTest {
    private static final long DAY = 86_400L;
    private final TimeAwareBiasedMatrixFactorization factory = new TimeAwareBiasedMatrixFactorization();

    /**
     * Ratings over 400 days where every movie's appeal drifts linearly (up for even movies, down for odd
     * ones) on top of a rank-2 taste model; validation and test are random rows of the same period, so
     * time-binned item biases can learn the drift.
     */
    static RatingSplits drifting(long seed) {
        int users = 80, items = 30, n = 6000;
        SplittableRandom rng = new SplittableRandom(seed);
        double[][] pu = new double[users][2], qi = new double[items][2];
        for (double[] v : pu) { v[0] = rng.nextDouble() * 2 - 1; v[1] = rng.nextDouble() * 2 - 1; }
        for (double[] v : qi) { v[0] = rng.nextDouble() * 2 - 1; v[1] = rng.nextDouble() * 2 - 1; }
        int[] u = new int[n], it = new int[n];
        float[] r = new float[n];
        long[] t = new long[n];
        for (int j = 0; j < n; j++) {
            u[j] = rng.nextInt(users);
            it[j] = rng.nextInt(items);
            double day = rng.nextInt(400);
            double drift = (it[j] % 2 == 0 ? 1 : -1) * (day / 400 - 0.5) * 2;
            double v = 3 + drift + (pu[u[j]][0] * qi[it[j]][0] + pu[u[j]][1] * qi[it[j]][1]) + 0.1 * rng.nextGaussian();
            r[j] = (float) Math.max(1, Math.min(5, v));
            t[j] = 1_000_000_000L + (long) day * DAY;
        }
        RatingTable all = new RatingTable(u, it, r, t);
        int nTrain = 4800, nVal = 600;
        int[] train = new int[nTrain], val = new int[nVal], test = new int[n - nTrain - nVal];
        for (int j = 0; j < n; j++) {
            if (j < nTrain) train[j] = j; else if (j < nTrain + nVal) val[j - nTrain] = j; else test[j - nTrain - nVal] = j;
        }
        return new RatingSplits(all.select(train), all.select(val), all.select(test), users, items, 1, 5,
                Map.of(), "generated", "drifting-" + seed);
    }

    private TrialModel model(RatingSplits data, Map<String, Object> fixed, long seed) {
        Map<String, Object> all = new HashMap<>(Map.of("factors", 4, "lr", 0.01, "lr_bin", 0.02, "reg_bin", 0.02));
        all.putAll(fixed);
        return factory.create(Hyperparams.resolve(factory.hyperParameters(), all, Map.of()), data, seed);
    }

    private static double trainAndScore(TrialModel m, int epochs) {
        for (int e = 1; e <= epochs; e++) m.trainEpoch(e);
        return m.evaluate(TrialModel.Split.VALIDATION).get("rmse");
    }

    @Test
    void learnsTheGeneratedRatingsBetterThanTheGlobalMean() {
        RatingSplits data = drifting(3);
        TrialModel m = model(data, Map.of(), 7);
        double first = m.trainEpoch(1), last = first;
        for (int e = 2; e <= 40; e++) last = m.trainEpoch(e);
        assertTrue(last < first * 0.6, "loss " + first + " -> " + last);
        double mean = data.train().meanRating(), sse = 0;
        for (int j = 0; j < data.validation().size(); j++) sse += Math.pow(data.validation().rating(j) - mean, 2);
        double baseline = Math.sqrt(sse / data.validation().size());
        assertTrue(m.evaluate(TrialModel.Split.VALIDATION).get("rmse") < baseline * 0.7);
    }

    @Test
    void timeBinsChangePredictionsAndFitADriftThatOneBinCannot() {
        RatingSplits data = drifting(4);
        double oneBin = trainAndScore(model(data, Map.of("time_bins", 1, "user_drift", false), 7), 40);
        double tenBins = trainAndScore(model(data, Map.of("time_bins", 10, "user_drift", false), 7), 40);
        assertNotEquals(oneBin, tenBins);
        assertTrue(tenBins < oneBin - 0.05, "validation RMSE with 10 bins " + tenBins + ", with 1 bin " + oneBin);
    }

    @Test
    void userDriftChangesPredictions() {
        RatingSplits data = drifting(4);
        Map<String, Object> fast = Map.of("lr_drift", 0.001, "reg_drift", 0.1);
        Map<String, Double> withDrift = evaluateAfter(model(data, withFlag(fast, true), 7), 5);
        Map<String, Double> without = evaluateAfter(model(data, withFlag(fast, false), 7), 5);
        assertNotEquals(withDrift, without);
    }

    @Test
    void heldOutTimesAfterTheTrainingRangeUseTheLastBin() {
        RatingSplits data = drifting(5);
        RatingTable train = data.train();
        TemporalBiases time = new TemporalBiases(train, data.numUsers(), data.numItems(), 30, 0.01, 0.01, false, 0, 0);
        long last = Long.MIN_VALUE, first = Long.MAX_VALUE;
        for (long t : train.timestamps()) { last = Math.max(last, t); first = Math.min(first, t); }
        assertEquals(29, time.bin(last));
        assertEquals(29, time.bin(last + 1000 * DAY));
        assertEquals(0, time.bin(first));
        assertEquals(0, time.bin(first - DAY));
    }

    @Test
    void aCheckpointSavedAndLoadedGivesTheSameEvaluationAndContinuesExactly() throws IOException {
        RatingSplits data = drifting(6);
        Map<String, Object> p = Map.of("lr_drift", 0.001, "reg_drift", 1.0);
        TrialModel straight = model(data, p, 99);
        for (int e = 1; e <= 6; e++) straight.trainEpoch(e);

        TrialModel first = model(data, p, 99);
        for (int e = 1; e <= 3; e++) first.trainEpoch(e);
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        first.saveCheckpoint(new DataOutputStream(bytes));
        TrialModel loaded = model(data, p, 99);
        loaded.loadCheckpoint(new DataInputStream(new ByteArrayInputStream(bytes.toByteArray())));
        assertEquals(first.evaluate(TrialModel.Split.TEST), loaded.evaluate(TrialModel.Split.TEST));
        assertEquals(first.evaluate(TrialModel.Split.VALIDATION), loaded.evaluate(TrialModel.Split.VALIDATION));
        for (int e = 4; e <= 6; e++) loaded.trainEpoch(e);
        assertEquals(straight.evaluate(TrialModel.Split.TEST), loaded.evaluate(TrialModel.Split.TEST));
    }

    @Test
    void aCheckpointWithOtherBinsOrAPlainBiasedMfCheckpointIsRefused() throws IOException {
        RatingSplits data = drifting(6);
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        model(data, Map.of("time_bins", 30), 1).saveCheckpoint(new DataOutputStream(bytes));
        IOException e = assertThrows(IOException.class, () -> model(data, Map.of("time_bins", 10), 1)
                .loadCheckpoint(new DataInputStream(new ByteArrayInputStream(bytes.toByteArray()))));
        assertTrue(e.getMessage().contains("30 time bins"), e.getMessage());

        BiasedMatrixFactorization plain = new BiasedMatrixFactorization();
        ByteArrayOutputStream plainBytes = new ByteArrayOutputStream();
        plain.create(Hyperparams.resolve(plain.hyperParameters(), Map.of("factors", 4), Map.of()), data, 1)
                .saveCheckpoint(new DataOutputStream(plainBytes));
        assertThrows(IOException.class, () -> model(data, Map.of(), 1)
                .loadCheckpoint(new DataInputStream(new ByteArrayInputStream(plainBytes.toByteArray()))));
    }

    @Test
    void specsWithBadTimeSettingsAreRejected() {
        for (String bad : new String[] {"time_bins: 0", "time_bins: 2.5", "lr_drift: -1", "user_drift: maybe", "reg_bin: -0.1"}) {
            SpecException e = assertThrows(SpecException.class, () -> SpecLoader.loadString(spec(bad), Path.of("bad.yaml")), bad);
            assertTrue(e.getMessage().contains(bad.substring(0, bad.indexOf(':'))), e.getMessage());
        }
    }

    @Test
    void aSpecWithGoodTimeSettingsLoads() throws SpecException {
        assertEquals("biased-mf-time", SpecLoader.loadString(spec("time_bins: 8"), Path.of("good.yaml")).model().type());
    }

    private static String spec(String param) {
        return "experiment:\n  name: t\nseed: 1\ndataset:\n  name: movielens-latest-small\n  split: time\n"
                + "model:\n  type: biased-mf-time\n  params:\n    " + param + "\n"
                + "search:\n  sampler: grid\n  max_epochs: 2\nobjective:\n  metric: rmse\n  mode: min\n";
    }

    private static Map<String, Object> withFlag(Map<String, Object> m, boolean drift) {
        Map<String, Object> all = new HashMap<>(m);
        all.put("user_drift", drift);
        return all;
    }

    private static Map<String, Double> evaluateAfter(TrialModel m, int epochs) {
        for (int e = 1; e <= epochs; e++) m.trainEpoch(e);
        return m.evaluate(TrialModel.Split.VALIDATION);
    }
}
