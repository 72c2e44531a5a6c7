package org.cinelab.data.sets;

import org.cinelab.data.Checksums;
import org.cinelab.data.DataFormatException;
import org.cinelab.data.DatasetProvider;
import org.cinelab.data.DatasetRequest;
import org.cinelab.data.FeaturedRatingSplits;
import org.cinelab.data.IdIndex;
import org.cinelab.data.MovieLens100kFeatures;
import org.cinelab.data.MovieLensFeatures;
import org.cinelab.data.PreparedData;
import org.cinelab.data.RatingSplits;
import org.cinelab.data.RatingTable;
import org.cinelab.data.sets.DelimitedRatingsReader.OnError;
import org.cinelab.data.catalog.DatasetInstaller;
import org.cinelab.data.split.IndexSplit;
import org.cinelab.data.split.RatingSplitter;
import org.cinelab.data.SplitId;
import org.cinelab.data.split.ValidationCarve;
import org.cinelab.space.HyperParameter;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;

/**
 * MovieLens-100k (GroupLens): the official {@code u1..u5} and {@code ua/ub} train/test files, with
 * validation carved (seeded) from the training file so the objective never sees the test file; or
 * {@code u.data} cut by {@link RatingSplitter} ({@code random}, {@code kfold}, {@code temporal}).
 * User and item ids are 1..943 and 1..1682 in every file; dense id = raw id - 1. With the option
 * {@code features: true} it also reads the user and movie features and returns {@link FeaturedRatingSplits}.
 */
public final class MovieLens100k implements DatasetProvider {
    public static final String NAME = "movielens-100k";
    public static final String FOLDER = "ml-100k";
    public static final int USERS = 943;
    public static final int ITEMS = 1682;
    private static final List<String> OFFICIAL = List.of("u1", "u2", "u3", "u4", "u5", "ua", "ub");

    @Override
    public String name() { return NAME; }

    @Override
    public Class<? extends PreparedData> dataType() { return RatingSplits.class; }

    @Override
    public List<String> splits() {
        List<String> all = new ArrayList<>(OFFICIAL);
        all.addAll(RatingSplitter.SPLITS);
        return all;
    }

    /** {@link RatingSplitter}'s options; with an official split, {@code validation_ratio} is a share of the training file. */
    @Override
    public List<HyperParameter> options() {
        List<HyperParameter> options = new ArrayList<>(RatingSplitter.options());
        options.add(HyperParameter.flag("features", false, "also read u.user and u.item (age, gender, occupation, zip; "
                + "title, year, genres) and return FeaturedRatingSplits, for models with feature towers"));
        return options;
    }

    @Override
    public PreparedData load(DatasetRequest request) throws IOException {
        Path dir = DatasetInstaller.ensureInstalled(NAME, request.dataDir(), request.log());
        Map<String, Object> options = request.options() == null ? Map.of() : request.options();
        RatingSplits ratings = loadRatings(dir, options, request);
        if (!Boolean.TRUE.equals(options.get("features"))) return ratings;
        if (options.get("top_users") instanceof Number u && u.intValue() > 0 || options.get("top_items") instanceof Number i && i.intValue() > 0) {
            throw new IllegalArgumentException("dataset option features: true cannot be combined with top_users/top_items "
                    + "(the filter renumbers users and items; features are indexed by MovieLens ids)");
        }
        TreeMap<String, String> params = new TreeMap<>(ratings.params());
        params.put("dataset.features", "true");
        MovieLensFeatures features = MovieLens100kFeatures.read(dir);
        String sha = Checksums.sha256("ratings=" + ratings.dataSha256() + "\nfeatures=" + MovieLens100kFeatures.sha256(dir) + "\n");
        return new FeaturedRatingSplits(ratings, features, params, sha, SplitId.of(sha, params));
    }

    private RatingSplits loadRatings(Path dir, Map<String, Object> options, DatasetRequest request) throws IOException {
        OnError onError = OnError.parse(options.get("on_error"));
        Map<String, String> datasetParams = new TreeMap<>(Map.of("dataset.name", NAME,
                "dataset.on_error", onError.name().toLowerCase(Locale.ROOT)));
        String split = request.split() == null ? OFFICIAL.get(0) : request.split();
        if (!OFFICIAL.contains(split)) {
            Table all = read(dir, onError, "u.data");
            reportSkipped(onError, List.of(all), datasetParams, request);
            return RatingSplitter.split(all.table, USERS, ITEMS, 1f, 5f, all.sha256, split, options, request.seed(), datasetParams);
        }
        Table base = read(dir, onError, split + ".base");
        Table test = read(dir, onError, split + ".test");
        reportSkipped(onError, List.of(base, test), datasetParams, request);
        RatingTable train = base.table;
        int[] trainRows = range(0, train.size());
        double validationRatio = options.get("validation_ratio") instanceof Number n ? n.doubleValue() : 0.1;
        IndexSplit carve = ValidationCarve.fromTrain(
                new IndexSplit(trainRows, new int[0], new int[0], Map.of("split", split)), validationRatio, request.seed());
        TreeMap<String, String> params = new TreeMap<>(datasetParams);
        params.putAll(carve.params());
        params.put("dataset.ratings", Integer.toString(train.size() + test.table.size()));
        params.put("dataset.users", Integer.toString(USERS));
        params.put("dataset.items", Integer.toString(ITEMS));
        String sha = Checksums.sha256(split + ".base=" + base.sha256 + "\n" + split + ".test=" + test.sha256 + "\n");
        return new RatingSplits(carve.train(train), carve.validation(train), test.table, USERS, ITEMS, 1f, 5f,
                Map.copyOf(params), sha, SplitId.of(sha, params));
    }

    private record Table(RatingTable table, String sha256, int skipped, List<String> skippedLines) {}

    /**
     * Under {@code on_error: skip}, says how many lines were skipped (and the first) and records the
     * count as {@code dataset.skipped_lines}. Only then: the param is part of the split id, and runs
     * that fail on bad lines (the default) keep the split id they always had.
     */
    private static void reportSkipped(OnError onError, List<Table> tables, Map<String, String> params, DatasetRequest request) {
        if (onError != OnError.SKIP) return;
        int skipped = tables.stream().mapToInt(Table::skipped).sum();
        params.put("dataset.skipped_lines", Integer.toString(skipped));
        if (request.log() == null) return;
        String first = tables.stream().flatMap(t -> t.skippedLines().stream()).findFirst().orElse(null);
        request.log().accept(NAME + ": skipped " + skipped + " malformed line(s) (on_error: skip)"
                + (first == null ? "" : ", first: " + first));
    }

    /** A tab-separated {@code user item rating timestamp} file with ids mapped to raw id - 1. */
    private static Table read(Path dir, OnError onError, String file) throws IOException {
        IdIndex users = new IdIndex();
        IdIndex items = new IdIndex();
        for (int i = 1; i <= USERS; i++) users.add(i);
        for (int i = 1; i <= ITEMS; i++) items.add(i);
        Path path = dir.resolve(file);
        DelimitedRatingsReader.Result r = new DelimitedRatingsReader("\t", false, StandardCharsets.US_ASCII, 1f, 5f)
                .read(path, onError, users, items);
        if (users.size() != USERS || items.size() != ITEMS) {
            throw new DataFormatException(path + ": ids outside MovieLens-100k's 1.." + USERS + " users and 1.." + ITEMS + " items");
        }
        return new Table(r.table(), Checksums.sha256(path), r.skipped(), r.skippedLines());
    }

    private static int[] range(int from, int to) {
        int[] a = new int[to - from];
        for (int i = 0; i < a.length; i++) a[i] = from + i;
        return a;
    }
}
