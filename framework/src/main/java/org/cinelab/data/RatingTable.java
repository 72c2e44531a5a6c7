package org.cinelab.data;

import java.util.Arrays;

/**
 * Ratings as parallel primitive columns (dense user and item ids), not an object per rating:
 * 100M ratings must fit in a few GB of heap. Timestamps are seconds since the Unix epoch (UTC),
 * MovieLens's own unit; day-resolution sources (Netflix Prize) use midnight UTC of the day.
 */
public final class RatingTable {
    private final int[] users;
    private final int[] items;
    private final float[] ratings;
    private final long[] timestamps;

    public RatingTable(int[] users, int[] items, float[] ratings, long[] timestamps) {
        if (users.length != items.length || users.length != ratings.length || users.length != timestamps.length) {
            throw new IllegalArgumentException("rating columns differ in length");
        }
        this.users = users;
        this.items = items;
        this.ratings = ratings;
        this.timestamps = timestamps;
    }

    public int size() { return users.length; }
    public int user(int i) { return users[i]; }
    public int item(int i) { return items[i]; }
    public float rating(int i) { return ratings[i]; }
    public long timestamp(int i) { return timestamps[i]; }

    /** The raw columns, shared not copied: callers must not modify them. */
    public int[] users() { return users; }
    public int[] items() { return items; }
    public float[] ratings() { return ratings; }
    public long[] timestamps() { return timestamps; }

    /** The rows at the given indices, in that order. */
    public RatingTable select(int[] rows) {
        int[] u = new int[rows.length];
        int[] it = new int[rows.length];
        float[] r = new float[rows.length];
        long[] t = new long[rows.length];
        for (int k = 0; k < rows.length; k++) {
            int i = rows[k];
            u[k] = users[i];
            it[k] = items[i];
            r[k] = ratings[i];
            t[k] = timestamps[i];
        }
        return new RatingTable(u, it, r, t);
    }

    /** The rows of {@code a} followed by those of {@code b}. */
    public static RatingTable concat(RatingTable a, RatingTable b) {
        int n = a.size();
        int m = b.size();
        int[] u = Arrays.copyOf(a.users, n + m);
        int[] it = Arrays.copyOf(a.items, n + m);
        float[] r = Arrays.copyOf(a.ratings, n + m);
        long[] t = Arrays.copyOf(a.timestamps, n + m);
        System.arraycopy(b.users, 0, u, n, m);
        System.arraycopy(b.items, 0, it, n, m);
        System.arraycopy(b.ratings, 0, r, n, m);
        System.arraycopy(b.timestamps, 0, t, n, m);
        return new RatingTable(u, it, r, t);
    }

    public double meanRating() {
        double s = 0;
        for (float v : ratings) s += v;
        return ratings.length == 0 ? 0 : s / ratings.length;
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof RatingTable other && Arrays.equals(users, other.users) && Arrays.equals(items, other.items)
                && Arrays.equals(ratings, other.ratings) && Arrays.equals(timestamps, other.timestamps);
    }

    @Override
    public int hashCode() { return Arrays.hashCode(users) * 31 + Arrays.hashCode(items); }
}
