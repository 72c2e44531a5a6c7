package org.cinelab.models.dl4j;

import org.cinelab.data.RatingSplits;
import org.cinelab.data.RatingTable;

import java.util.Map;
import java.util.SplittableRandom;

/** Small rating splits generated from a known rank-2 model, so model tests need no shared data. */
public final class GeneratedRatings {
    private GeneratedRatings() {}

    public static RatingSplits splits(int users, int items, int ratings, long seed) {
        SplittableRandom rng = new SplittableRandom(seed);
        double[][] pu = new double[users][2], qi = new double[items][2];
        for (double[] v : pu) { v[0] = rng.nextDouble() * 2 - 1; v[1] = rng.nextDouble() * 2 - 1; }
        for (double[] v : qi) { v[0] = rng.nextDouble() * 2 - 1; v[1] = rng.nextDouble() * 2 - 1; }
        int[] u = new int[ratings], it = new int[ratings];
        float[] r = new float[ratings];
        long[] t = new long[ratings];
        for (int j = 0; j < ratings; j++) {
            u[j] = rng.nextInt(users);
            it[j] = rng.nextInt(items);
            double v = 3 + 2 * (pu[u[j]][0] * qi[it[j]][0] + pu[u[j]][1] * qi[it[j]][1]) + 0.5 * (pu[u[j]][0] + qi[it[j]][1]);
            r[j] = (float) Math.max(1, Math.min(5, Math.rint(v)));
        }
        RatingTable all = new RatingTable(u, it, r, t);
        int nTrain = ratings * 8 / 10, nVal = ratings / 10;
        return new RatingSplits(all.select(range(0, nTrain)), all.select(range(nTrain, nTrain + nVal)),
                all.select(range(nTrain + nVal, ratings)), users, items, 1, 5, Map.of(), "generated", "generated-" + seed);
    }

    private static int[] range(int from, int to) {
        int[] a = new int[to - from];
        for (int i = 0; i < a.length; i++) a[i] = from + i;
        return a;
    }

    /** RMSE of always predicting the training mean, the baseline a trained model must beat. */
    public static double meanBaselineRmse(RatingSplits data, RatingTable heldOut) {
        double mean = data.train().meanRating(), sse = 0;
        for (int j = 0; j < heldOut.size(); j++) sse += Math.pow(heldOut.rating(j) - mean, 2);
        return Math.sqrt(sse / heldOut.size());
    }
}
