package org.cinelab.models.timeseries;

import org.cinelab.data.RatingTable;

import java.util.Arrays;

/**
 * Each movie's ratings as a sparse vector over users (compressed rows, users ascending; a user who
 * rated a movie twice keeps the last rating), the input of {@link MovieClusters}.
 */
final class MovieVectors {
    private final int numUsers;
    private final int[] start;
    private final int[] users;
    private final float[] ratings;
    private final double[] squaredNorm;
    private final int[] rated;

    private MovieVectors(int numUsers, int[] start, int[] users, float[] ratings) {
        this.numUsers = numUsers;
        this.start = start;
        this.users = users;
        this.ratings = ratings;
        int movies = start.length - 1;
        squaredNorm = new double[movies];
        int ratedCount = 0;
        for (int m = 0; m < movies; m++) {
            for (int p = start[m]; p < start[m + 1]; p++) squaredNorm[m] += (double) ratings[p] * ratings[p];
            if (start[m + 1] > start[m]) ratedCount++;
        }
        rated = new int[ratedCount];
        for (int m = 0, r = 0; m < movies; m++) if (start[m + 1] > start[m]) rated[r++] = m;
    }

    static MovieVectors of(RatingTable table, int numUsers, int numItems) {
        int n = table.size();
        int[] count = new int[numItems + 1];
        for (int r = 0; r < n; r++) count[table.item(r) + 1]++;
        for (int m = 0; m < numItems; m++) count[m + 1] += count[m];
        long[] userThenRow = new long[n];
        int[] fill = Arrays.copyOf(count, numItems);
        for (int r = 0; r < n; r++) userThenRow[fill[table.item(r)]++] = ((long) table.user(r) << 32) | r;
        int[] start = new int[numItems + 1];
        int[] users = new int[n];
        float[] ratings = new float[n];
        int out = 0;
        for (int m = 0; m < numItems; m++) {
            Arrays.sort(userThenRow, count[m], count[m + 1]);
            int previousUser = -1;
            for (int p = count[m]; p < count[m + 1]; p++) {
                int u = (int) (userThenRow[p] >>> 32), r = (int) userThenRow[p];
                if (u == previousUser) {
                    ratings[out - 1] = table.rating(r);
                    continue;
                }
                users[out] = u;
                ratings[out++] = table.rating(r);
                previousUser = u;
            }
            start[m + 1] = out;
        }
        return new MovieVectors(numUsers, start, Arrays.copyOf(users, out), Arrays.copyOf(ratings, out));
    }

    /** Movies with at least one rating, ascending. */
    int[] ratedMovies() { return rated; }

    int[] users(int movie) { return Arrays.copyOfRange(users, start[movie], start[movie + 1]); }

    float[] ratings(int movie) { return Arrays.copyOfRange(ratings, start[movie], start[movie + 1]); }

    float[] dense(int movie) {
        float[] v = new float[numUsers];
        for (int p = start[movie]; p < start[movie + 1]; p++) v[users[p]] = ratings[p];
        return v;
    }

    /** |x - c|^2 for movie x and a dense centroid c whose squared norm is {@code cc}. */
    double squaredDistance(int movie, float[] centroid, double cc) {
        double xc = 0;
        for (int p = start[movie]; p < start[movie + 1]; p++) xc += (double) ratings[p] * centroid[users[p]];
        return squaredNorm[movie] - 2 * xc + cc;
    }
}
