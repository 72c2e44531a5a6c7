package org.cinelab.data.netflix;

import org.cinelab.data.RatingTable;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

class NetflixGeneratorTest {
    private static final long FIRST = NetflixGenerator.FIRST_DATE.toEpochDay();
    private static final long LAST = NetflixGenerator.LAST_DATE.toEpochDay();

    /** Everything the generator emits, in order. */
    private static final class Recorder implements NetflixGenerator.Sink {
        final int n;
        final int[] movies;
        final int[] customers;
        final int[] ratings;
        final long[] days;
        int size;
        int movie;

        Recorder(int n) {
            this.n = n;
            movies = new int[n];
            customers = new int[n];
            ratings = new int[n];
            days = new long[n];
        }

        @Override
        public void movie(int movieId) { movie = movieId; }

        @Override
        public void rating(int customerId, int rating, long epochDay) {
            movies[size] = movie;
            customers[size] = customerId;
            ratings[size] = rating;
            days[size] = epochDay;
            size++;
        }
    }

    @Test
    void aGeneratedFileParsesBackToExactlyTheGeneratedRatings(@TempDir Path dir) throws Exception {
        int n = 100_000;
        Recorder expected = new Recorder(n);
        NetflixGenerator.generate(n, 42, expected);
        assertEquals(n, expected.size);
        Path file = dir.resolve("combined_data_synthetic.txt");
        NetflixGenerator.write(file, n, 42);

        NetflixPrizeRatings parsed = new NetflixPrizeReader().chunkBytes(64 << 10).read(List.of(file));
        RatingTable t = parsed.ratings();
        assertEquals(n, t.size());
        for (int i = 0; i < n; i++) {
            assertEquals(expected.movies[i], parsed.movies().raw(t.item(i)), "movie of rating " + i);
            assertEquals(expected.customers[i], parsed.users().raw(t.user(i)), "customer of rating " + i);
            assertEquals(expected.ratings[i], t.rating(i), "rating " + i);
            assertEquals(expected.days[i] * 86_400L, t.timestamp(i), "date of rating " + i);
        }
    }

    @Test
    void theDataLooksLikeNetflixPrizeData() throws Exception {
        int n = 100_000;
        Recorder r = new Recorder(n);
        NetflixGenerator.generate(n, 1, r);
        NetflixGenerator.Shape shape = NetflixGenerator.shape(n);
        int[] perRating = new int[6];
        Set<Long> pairs = new HashSet<>();
        int[] perMovie = new int[shape.movies() + 1];
        for (int i = 0; i < n; i++) {
            assertTrue(r.days[i] >= FIRST && r.days[i] <= LAST, "date in 1999-11-11..2005-12-31");
            assertTrue(pairs.add((long) r.customers[i] << 32 | r.movies[i]), "a user rates a movie once");
            perRating[r.ratings[i]]++;
            perMovie[r.movies[i]]++;
        }
        assertEquals(0, perRating[0]);
        assertTrue(perRating[4] > perRating[3] && perRating[3] > perRating[5] && perRating[5] > perRating[2]
                && perRating[2] > perRating[1], "4 most common, then 3, 5, 2, 1");
        int max = 0;
        long moviesRated = 0;
        for (int c : perMovie) {
            max = Math.max(max, c);
            if (c > 0) moviesRated++;
        }
        assertTrue(max > 10 * n / moviesRated, "a popular head: the top movie has over 10x the mean");
    }

    @Test
    void theSameSeedGivesTheSameBytesAndAnotherSeedDifferentOnes(@TempDir Path dir) throws Exception {
        Path a = dir.resolve("a.txt");
        Path b = dir.resolve("b.txt");
        Path c = dir.resolve("c.txt");
        NetflixGenerator.write(a, 5_000, 3);
        NetflixGenerator.write(b, 5_000, 3);
        NetflixGenerator.write(c, 5_000, 4);
        assertArrayEquals(Files.readAllBytes(a), Files.readAllBytes(b));
        assertFalse(java.util.Arrays.equals(Files.readAllBytes(a), Files.readAllBytes(c)));
        try (var files = Files.list(dir)) {
            assertEquals(3, files.count(), "no temporary files left behind");
        }
    }

    @Test
    void tinyFilesStillHaveTheRequestedCount() throws Exception {
        for (int n : new int[] {0, 1, 7, 1000}) {
            Recorder r = new Recorder(n);
            NetflixGenerator.generate(n, 5, r);
            assertEquals(n, r.size);
        }
    }
}
