package org.cinelab.data.sets;

import org.cinelab.data.sets.MovieLens100k;
import java.io.IOException;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.SplittableRandom;

/**
 * Writes a generated {@code ml-100k/}-format folder ({@code u1.base}, {@code u1.test}, {@code u.data})
 * from a known low-rank model plus noise, so tests and benchmarks exercise the real loader and
 * models without the (non-redistributable) MovieLens files.
 */
public final class SyntheticMovieLens {
    private SyntheticMovieLens() {}

    /** Writes {@code train + test} ratings by users 1..943 of items 1..1682 under {@code dataDir/ml-100k}. */
    public static Path write(Path dataDir, int train, int test, long seed) throws IOException {
        Path dir = Files.createDirectories(dataDir.resolve(MovieLens100k.FOLDER));
        SplittableRandom rng = new SplittableRandom(seed);
        int rank = 3;
        double[][] users = randomFactors(943, rank, rng);
        double[][] items = randomFactors(1682, rank, rng);
        try (Writer base = Files.newBufferedWriter(dir.resolve("u1.base"), StandardCharsets.US_ASCII);
             Writer tst = Files.newBufferedWriter(dir.resolve("u1.test"), StandardCharsets.US_ASCII);
             Writer all = Files.newBufferedWriter(dir.resolve("u.data"), StandardCharsets.US_ASCII)) {
            for (int i = 0; i < train + test; i++) {
                int u = rng.nextInt(943), it = rng.nextInt(1682);
                double v = 3.5;
                for (int f = 0; f < rank; f++) v += users[u][f] * items[it][f];
                v += rng.nextDouble() - 0.5;
                int rating = (int) Math.max(1, Math.min(5, Math.round(v)));
                String line = (u + 1) + "\t" + (it + 1) + "\t" + rating + "\t" + (874965758L + i) + "\n";
                (i < train ? base : tst).write(line);
                all.write(line);
            }
        }
        return dir;
    }

    private static double[][] randomFactors(int n, int rank, SplittableRandom rng) {
        double[][] f = new double[n][rank];
        for (double[] row : f) for (int j = 0; j < rank; j++) row[j] = rng.nextDouble() * 2 - 1;
        return f;
    }
}
