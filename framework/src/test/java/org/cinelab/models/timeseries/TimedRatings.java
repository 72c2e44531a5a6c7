package org.cinelab.models.timeseries;

import org.cinelab.data.RatingSplits;
import org.cinelab.data.RatingTable;
import org.cinelab.data.split.IndexSplit;
import org.cinelab.data.split.TimeSplit;

import java.util.Map;
import java.util.SplittableRandom;

/**
 * Small time-stamped rating splits for the S4 model tests: each movie belongs to one of
 * {@code groups} taste groups, each user has a bias and a favourite group, and the rating is
 * 3 + bias + 1.5 if the movie is of the favourite group (clamped to 1..5, rounded). Users rate
 * movies one day apart; the split is the global time split (70/10/20).
 */
public final class TimedRatings {
    private TimedRatings() {}

    static int groupOf(int movie, int groups) { return movie % groups; }

    public static RatingSplits splits(int users, int items, int perUser, int groups, long seed) {
        SplittableRandom rng = new SplittableRandom(seed);
        int n = users * perUser;
        int[] u = new int[n], it = new int[n];
        float[] r = new float[n];
        long[] t = new long[n];
        int j = 0;
        for (int user = 0; user < users; user++) {
            double bias = rng.nextDouble() * 2 - 1;
            int favourite = rng.nextInt(groups);
            long start = rng.nextInt(30) * 86_400L;
            for (int k = 0; k < perUser; k++) {
                int movie = rng.nextInt(items);
                double v = 3 + bias + (groupOf(movie, groups) == favourite ? 1.5 : -0.5) + rng.nextGaussian() * 0.2;
                u[j] = user;
                it[j] = movie;
                r[j] = (float) Math.max(1, Math.min(5, Math.rint(v)));
                t[j] = start + k * 86_400L;
                j++;
            }
        }
        RatingTable all = new RatingTable(u, it, r, t);
        IndexSplit split = TimeSplit.byQuantiles(all, 0.1, 0.2);
        return new RatingSplits(split.train(all), split.validation(all), split.test(all), users, items, 1, 5,
                Map.of(), "generated", "timed-" + seed);
    }

    /** RMSE of always predicting the training mean on the labels of the given windows. */
    static double meanBaselineRmse(RatingSplits data, org.cinelab.data.split.SlidingWindows.Parts parts,
                                   org.cinelab.data.split.SlidingWindows.Part part) {
        double mean = data.train().meanRating(), sse = 0;
        for (int w : part.windows()) sse += Math.pow(parts.windows().label(w) - mean, 2);
        return Math.sqrt(sse / part.size());
    }
}
