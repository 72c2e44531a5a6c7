package org.cinelab.data.netflix;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.LocalDate;
import java.util.SplittableRandom;

/**
 * Writes a synthetic Netflix Prize file of any size in the {@code combined_data_*.txt} format, for
 * benchmarks and tests. The same (ratings, seed) always gives the same bytes. Realistic in shape:
 * movie popularity and user activity follow power laws, a user rates a movie at most once, dates
 * run from 1999-11-11 to 2005-12-31 with more ratings in later years, and ratings follow the
 * published Netflix Prize histogram (about 5/10/29/34/23 % for 1..5) with a per-movie shift.
 * The user and movie counts grow with the square root of the rating count, reaching the real
 * 480,189 users and 17,770 movies at 100,480,507 ratings, so density stays near the real 1.2 %.
 */
public final class NetflixGenerator {
    public static final LocalDate FIRST_DATE = LocalDate.of(1999, 11, 11);
    public static final LocalDate LAST_DATE = LocalDate.of(2005, 12, 31);
    static final long REAL_RATINGS = 100_480_507L;
    static final int REAL_MOVIES = 17_770;
    static final int REAL_USERS = 480_189;
    private static final double[] RATING_CDF = {0.046, 0.147, 0.434, 0.770};

    private NetflixGenerator() {}

    /** Receives the generated data in file order: a movie, then its ratings. */
    public interface Sink {
        void movie(int movieId) throws IOException;

        void rating(int customerId, int rating, long epochDay) throws IOException;
    }

    /** How many movies and users a file of {@code ratings} ratings draws from. */
    public record Shape(int movies, int users) {}

    public static Shape shape(long ratings) {
        if (ratings < 0) throw new IllegalArgumentException("ratings must be >= 0, was " + ratings);
        double scale = Math.sqrt(ratings / (double) REAL_RATINGS);
        int movies = (int) Math.max(1, Math.min(REAL_MOVIES, Math.round(REAL_MOVIES * scale)));
        long users = Math.max(1, Math.min(REAL_USERS, Math.round(REAL_USERS * scale)));
        users = Math.max(users, 2 * ((ratings + movies - 1) / movies) + 1);
        if (users > Integer.MAX_VALUE / 8) throw new IllegalArgumentException("too many ratings: " + ratings);
        return new Shape(movies, (int) users);
    }

    /** Writes the file atomically (a temporary file in the same folder, then a rename). */
    public static void write(Path file, long ratings, long seed) throws IOException {
        Path dir = file.toAbsolutePath().getParent();
        Files.createDirectories(dir);
        Path tmp = Files.createTempFile(dir, file.getFileName().toString(), ".part");
        try {
            try (OutputStream out = Files.newOutputStream(tmp); FileSink sink = new FileSink(out)) {
                generate(ratings, seed, sink);
            }
            Files.move(tmp, file, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
        } finally {
            Files.deleteIfExists(tmp);
        }
    }

    public static void generate(long ratings, long seed, Sink sink) throws IOException {
        Shape shape = shape(ratings);
        SplittableRandom rng = new SplittableRandom(seed);
        long[] perMovie = moviePopularity(ratings, shape, rng);
        int users = shape.users();
        int[] customerIds = new int[users];
        for (int j = 0; j < users; j++) customerIds[j] = j * 5 + 1 + rng.nextInt(5);
        int[] userOfRank = permutation(users, rng);
        AliasTable activity = AliasTable.powerLaw(users, Math.max(1.0, users / 700.0));
        int[] ratedMovie = new int[users];
        long firstDay = FIRST_DATE.toEpochDay();
        int span = (int) (LAST_DATE.toEpochDay() - firstDay + 1);

        for (int m = 0; m < shape.movies(); m++) {
            if (perMovie[m] == 0) continue;
            int movieId = m + 1;
            sink.movie(movieId);
            double quality = rng.nextGaussian() * 0.1;
            for (long k = 0; k < perMovie[m]; k++) {
                int user = drawUnrated(activity, userOfRank, ratedMovie, movieId, rng);
                ratedMovie[user] = movieId;
                long day = firstDay + (int) (span * Math.sqrt(rng.nextDouble()));
                sink.rating(customerIds[user], rating(rng.nextDouble() + quality), day);
            }
        }
    }

    private static int drawUnrated(AliasTable activity, int[] userOfRank, int[] ratedMovie, int movieId,
                                   SplittableRandom rng) {
        for (int attempt = 0; attempt < 32; attempt++) {
            int user = userOfRank[activity.sample(rng)];
            if (ratedMovie[user] != movieId) return user;
        }
        int n = ratedMovie.length;
        int user = rng.nextInt(n);
        while (ratedMovie[user] == movieId) user = user + 1 == n ? 0 : user + 1;
        return user;
    }

    private static int rating(double u) {
        int r = 1;
        while (r <= RATING_CDF.length && u >= RATING_CDF[r - 1]) r++;
        return r;
    }

    /** Ratings per movie: weight 1/(rank + k) over a random popularity order, at most users/2 each. */
    private static long[] moviePopularity(long ratings, Shape shape, SplittableRandom rng) {
        int movies = shape.movies();
        int[] movieOfRank = permutation(movies, rng);
        double k = Math.max(1.0, movies / 200.0);
        double total = 0;
        for (int r = 0; r < movies; r++) total += 1 / (r + k);
        long cap = Math.max(1, shape.users() / 2);
        long[] count = new long[movies];
        long assigned = 0;
        for (int r = 0; r < movies; r++) {
            long c = Math.min(cap, (long) Math.floor(ratings * (1 / (r + k)) / total));
            count[movieOfRank[r]] = c;
            assigned += c;
        }
        for (int r = 0; assigned < ratings; r = r + 1 == movies ? 0 : r + 1) {
            int m = movieOfRank[r];
            if (count[m] < cap) {
                count[m]++;
                assigned++;
            }
        }
        return count;
    }

    private static int[] permutation(int n, SplittableRandom rng) {
        int[] p = new int[n];
        for (int i = 0; i < n; i++) p[i] = i;
        for (int i = n - 1; i > 0; i--) {
            int j = rng.nextInt(i + 1);
            int t = p[i];
            p[i] = p[j];
            p[j] = t;
        }
        return p;
    }

    /** Vose's alias method: O(1) draws from a fixed discrete distribution. */
    private static final class AliasTable {
        private final double[] probability;
        private final int[] alias;

        private AliasTable(double[] weights) {
            int n = weights.length;
            probability = new double[n];
            alias = new int[n];
            double sum = 0;
            for (double w : weights) sum += w;
            double[] scaled = new double[n];
            int[] small = new int[n];
            int[] large = new int[n];
            int ns = 0;
            int nl = 0;
            for (int i = 0; i < n; i++) {
                scaled[i] = weights[i] * n / sum;
                if (scaled[i] < 1) small[ns++] = i;
                else large[nl++] = i;
            }
            while (ns > 0 && nl > 0) {
                int s = small[--ns];
                int l = large[--nl];
                probability[s] = scaled[s];
                alias[s] = l;
                scaled[l] = scaled[l] + scaled[s] - 1;
                if (scaled[l] < 1) small[ns++] = l;
                else large[nl++] = l;
            }
            while (nl > 0) probability[large[--nl]] = 1;
            while (ns > 0) probability[small[--ns]] = 1;
        }

        static AliasTable powerLaw(int n, double offset) {
            double[] w = new double[n];
            for (int i = 0; i < n; i++) w[i] = 1 / (i + offset);
            return new AliasTable(w);
        }

        int sample(SplittableRandom rng) {
            int i = rng.nextInt(probability.length);
            return rng.nextDouble() < probability[i] ? i : alias[i];
        }
    }

    /** Formats lines into a byte buffer: no String per line. */
    private static final class FileSink implements Sink, AutoCloseable {
        private final OutputStream out;
        private final byte[] buf = new byte[1 << 20];
        private final byte[][] dates;
        private final long firstDay = FIRST_DATE.toEpochDay();
        private int n;

        FileSink(OutputStream out) {
            this.out = out;
            int days = (int) (LAST_DATE.toEpochDay() - firstDay + 1);
            dates = new byte[days][];
            for (int d = 0; d < days; d++) {
                dates[d] = LocalDate.ofEpochDay(firstDay + d).toString().getBytes(StandardCharsets.US_ASCII);
            }
        }

        @Override
        public void movie(int movieId) throws IOException {
            ensure(16);
            putInt(movieId);
            buf[n++] = ':';
            buf[n++] = '\n';
        }

        @Override
        public void rating(int customerId, int rating, long epochDay) throws IOException {
            ensure(32);
            putInt(customerId);
            buf[n++] = ',';
            buf[n++] = (byte) ('0' + rating);
            buf[n++] = ',';
            System.arraycopy(dates[(int) (epochDay - firstDay)], 0, buf, n, 10);
            n += 10;
            buf[n++] = '\n';
        }

        private void putInt(int v) {
            int len = 1;
            for (int t = v; t >= 10; t /= 10) len++;
            for (int i = n + len - 1; i >= n; i--) {
                buf[i] = (byte) ('0' + v % 10);
                v /= 10;
            }
            n += len;
        }

        private void ensure(int bytes) throws IOException {
            if (n + bytes > buf.length) flush();
        }

        private void flush() throws IOException {
            out.write(buf, 0, n);
            n = 0;
        }

        @Override
        public void close() throws IOException {
            flush();
        }
    }
}
