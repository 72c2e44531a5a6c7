package org.cinelab.data.catalog;

import org.cinelab.data.RatingTable;

import java.time.Instant;
import java.time.ZoneOffset;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;

/** Summary numbers of a ratings table, as {@code cinelab datasets info} prints them. */
public record RatingStats(int users, int items, long ratings, double sparsity, Map<Float, Long> histogram, long minTimestamp, long maxTimestamp) {

    public static RatingStats of(RatingTable t, int users, int items) {
        TreeMap<Float, Long> hist = new TreeMap<>();
        long min = Long.MAX_VALUE, max = Long.MIN_VALUE;
        for (int i = 0; i < t.size(); i++) {
            hist.merge(t.rating(i), 1L, Long::sum);
            min = Math.min(min, t.timestamp(i));
            max = Math.max(max, t.timestamp(i));
        }
        double cells = (double) users * items;
        return new RatingStats(users, items, t.size(), cells == 0 ? 0 : 1 - t.size() / cells, hist, min, max);
    }

    /** Lines for the terminal; timestamps are read as Unix seconds. */
    public String describe() {
        StringBuilder sb = new StringBuilder();
        String nl = System.lineSeparator();
        sb.append(String.format(Locale.ROOT, "users     %,d%nitems     %,d%nratings   %,d%nsparsity  %.4f%%", users, items, ratings, sparsity * 100));
        sb.append(nl).append("ratings by value:");
        histogram.forEach((value, count) -> sb.append(nl).append(String.format(Locale.ROOT, "  %-4s %,10d  %5.1f%%",
                value == Math.rint(value) ? Integer.toString(value.intValue()) : value.toString(), count, 100.0 * count / ratings)));
        if (ratings > 0) {
            sb.append(nl).append("time span ").append(date(minTimestamp)).append(" .. ").append(date(maxTimestamp));
        }
        return sb.toString();
    }

    private static String date(long epochSeconds) {
        return Instant.ofEpochSecond(epochSeconds).atZone(ZoneOffset.UTC).toLocalDate().toString();
    }
}
