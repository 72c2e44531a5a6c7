package org.cinelab.models.dl4j;

import org.cinelab.metrics.RatingErrors;

import java.util.Map;

/**
 * Rating errors over held-out (user, item) pairs, two ways: pooled over all ratings
 * ({@code rmse}, {@code mae}) and as the mean over users of each user's RMSE ({@code user_rmse}),
 * the "loss" the S3 course code reports.
 */
public final class RatingMetrics {
    public static final String USER_RMSE = "user_rmse";

    private final RatingErrors pooled = new RatingErrors();
    private final double[] userSquared;
    private final int[] userCount;

    public RatingMetrics(int numUsers) {
        userSquared = new double[numUsers];
        userCount = new int[numUsers];
    }

    public void add(int user, double predicted, double actual) {
        pooled.add(predicted, actual);
        double e = predicted - actual;
        userSquared[user] += e * e;
        userCount[user]++;
    }

    public double userRmse() {
        double sum = 0;
        int users = 0;
        for (int u = 0; u < userCount.length; u++) {
            if (userCount[u] == 0) continue;
            sum += Math.sqrt(userSquared[u] / userCount[u]);
            users++;
        }
        return users == 0 ? Double.NaN : sum / users;
    }

    /** {@code rmse}, {@code mae}, {@code user_rmse}. */
    public Map<String, Double> asMap() {
        Map<String, Double> m = pooled.asMap();
        m.put(USER_RMSE, userRmse());
        return m;
    }
}
