package org.cinelab.data;

import org.cinelab.models.HyperParameter;

import java.io.BufferedReader;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;

/**
 * MovieLens-100k (GroupLens) read from its {@code ml-100k/} folder: the official {@code u1..u5}
 * and {@code ua/ub} train/test splits, or a seeded random holdout of {@code u.data}. Validation is
 * a seeded fraction of the training ratings, so the objective never sees the test set.
 * User and item ids are 1-based and contiguous in this dataset, so dense id = raw id - 1.
 */
public final class MovieLens100k implements DatasetProvider {
    public static final String FOLDER = "ml-100k";
    private static final List<String> SPLITS = List.of("u1", "u2", "u3", "u4", "u5", "ua", "ub", "random");

    @Override
    public String name() { return "movielens-100k"; }

    @Override
    public Class<? extends PreparedData> dataType() { return RatingSplits.class; }

    @Override
    public List<String> splits() { return SPLITS; }

    @Override
    public List<HyperParameter> options() {
        return List.of(
                HyperParameter.real("validation_fraction", 0.1, 0.01, 0.5,
                        "share of the training ratings held out (seeded) as the validation split"),
                HyperParameter.real("test_fraction", 0.2, 0.01, 0.5,
                        "share of u.data held out as test; only with split: random"));
    }

    @Override
    public PreparedData load(DatasetRequest request) throws IOException {
        Path dir = DatasetLocator.locate(name(), FOLDER, request);
        double validationFraction = option(request, "validation_fraction", 0.1);
        String split = request.split();
        RatingTable trainAll;
        RatingTable test;
        List<Path> sources = new ArrayList<>();
        if ("random".equals(split)) {
            Path data = dir.resolve("u.data");
            sources.add(data);
            RatingTable all = read(data);
            int[][] parts = holdout(all.size(), option(request, "test_fraction", 0.2), request.seed() ^ 0x7E57L);
            trainAll = all.select(parts[0]);
            test = all.select(parts[1]);
        } else {
            Path base = dir.resolve(split + ".base");
            Path testFile = dir.resolve(split + ".test");
            sources.add(base);
            sources.add(testFile);
            trainAll = read(base);
            test = read(testFile);
        }
        int[][] carve = holdout(trainAll.size(), validationFraction, request.seed());
        Map<String, String> params = new LinkedHashMap<>();
        params.put("dataset.name", name());
        params.put("dataset.split", split);
        params.put("dataset.validation_fraction", Double.toString(validationFraction));
        if ("random".equals(split)) params.put("dataset.test_fraction", Double.toString(option(request, "test_fraction", 0.2)));
        params.put("dataset.seed", Long.toString(request.seed()));
        StringBuilder sums = new StringBuilder();
        for (Path p : sources) sums.append(p.getFileName()).append('=').append(Checksums.sha256(p)).append('\n');
        String dataSha = Checksums.sha256(sums.toString());
        String splitId = Checksums.sha256(dataSha + params);
        return new RatingSplits(trainAll.select(carve[0]), trainAll.select(carve[1]), test,
                943, 1682, 1f, 5f, params, dataSha, splitId);
    }

    private static double option(DatasetRequest r, String key, double def) {
        Object v = r.options() == null ? null : r.options().get(key);
        return v == null ? def : ((Number) v).doubleValue();
    }

    /**
     * Rows split into {kept, held out}: a seeded shuffle, the first {@code round(n * fraction)}
     * held out, both parts returned in original file order so models see a stable order.
     */
    static int[][] holdout(int n, double fraction, long seed) {
        int[] perm = new int[n];
        for (int i = 0; i < n; i++) perm[i] = i;
        SplittableRandom rng = new SplittableRandom(seed);
        for (int i = n - 1; i > 0; i--) {
            int j = rng.nextInt(i + 1);
            int t = perm[i]; perm[i] = perm[j]; perm[j] = t;
        }
        int held = (int) Math.round(n * fraction);
        boolean[] isHeld = new boolean[n];
        for (int i = 0; i < held; i++) isHeld[perm[i]] = true;
        int[] kept = new int[n - held];
        int[] out = new int[held];
        for (int i = 0, k = 0, h = 0; i < n; i++) {
            if (isHeld[i]) out[h++] = i; else kept[k++] = i;
        }
        return new int[][] {kept, out};
    }

    /** Reads a tab-separated {@code user item rating timestamp} file (u.data and the split files). */
    static RatingTable read(Path file) throws IOException {
        int cap = 1 << 17;
        int[] u = new int[cap], it = new int[cap];
        float[] r = new float[cap];
        long[] t = new long[cap];
        int n = 0;
        int lineNo = 0;
        try (BufferedReader in = Files.newBufferedReader(file, StandardCharsets.US_ASCII)) {
            for (String line; (line = in.readLine()) != null; ) {
                lineNo++;
                if (line.isEmpty()) continue;
                String[] f = line.split("\t");
                if (f.length != 4) throw DataFormatException.at(file, lineNo, line, "expected 4 tab-separated fields user, item, rating, timestamp");
                if (n == u.length) {
                    cap *= 2;
                    u = java.util.Arrays.copyOf(u, cap); it = java.util.Arrays.copyOf(it, cap);
                    r = java.util.Arrays.copyOf(r, cap); t = java.util.Arrays.copyOf(t, cap);
                }
                try {
                    int user = Integer.parseInt(f[0]), item = Integer.parseInt(f[1]), rating = Integer.parseInt(f[2]);
                    if (user < 1 || user > 943) throw DataFormatException.at(file, lineNo, line, "user id must be in 1..943");
                    if (item < 1 || item > 1682) throw DataFormatException.at(file, lineNo, line, "item id must be in 1..1682");
                    if (rating < 1 || rating > 5) throw DataFormatException.at(file, lineNo, line, "rating must be an integer 1..5");
                    u[n] = user - 1;
                    it[n] = item - 1;
                    r[n] = rating;
                    t[n] = Long.parseLong(f[3]) * 1000L;
                } catch (NumberFormatException e) {
                    throw DataFormatException.at(file, lineNo, line, "fields must be integers");
                }
                n++;
            }
        } catch (NoSuchFileException e) {
            throw new NoSuchFileException(file.toString(), null, "MovieLens-100k file missing");
        }
        return new RatingTable(java.util.Arrays.copyOf(u, n), java.util.Arrays.copyOf(it, n),
                java.util.Arrays.copyOf(r, n), java.util.Arrays.copyOf(t, n));
    }
}
