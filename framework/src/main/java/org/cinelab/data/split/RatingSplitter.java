package org.cinelab.data.split;

import org.cinelab.data.SplitId;
import org.cinelab.data.RatingSplits;
import org.cinelab.data.RatingTable;
import org.cinelab.space.HyperParameter;

import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * Turns a loaded ratings table and a spec's {@code dataset.split} / {@code dataset.options} into
 * {@link RatingSplits}: optional top-U x top-M filter, then a seeded split, with every parameter
 * recorded and the split id computed. Shared by the rating dataset providers.
 *
 * <ul>
 *   <li>{@code random}: {@code test_ratio} and {@code validation_ratio} of all rows, train the rest.</li>
 *   <li>{@code kfold}: fold {@code fold} of {@code folds} is test; {@code validation_ratio} of the
 *       remaining rows is carved out for validation.</li>
 *   <li>{@code temporal}: per user, the last {@code leave_last} ratings are test and the
 *       {@code validation_last} before them validation.</li>
 *   <li>{@code time}: a global time cut ({@link TimeSplit}): the latest {@code test_ratio} of ratings
 *       are test and the {@code validation_ratio} before them validation, so no future rating is
 *       trained on.</li>
 * </ul>
 * With a top-U x top-M filter, the kept ratings, users, items and density are recorded as
 * {@code filter.*} params and said through the log.
 */
public final class RatingSplitter {
    public static final List<String> SPLITS = List.of("random", "kfold", "temporal", "time");

    private RatingSplitter() {}

    /** The options every rating dataset using this class accepts. */
    public static List<HyperParameter> options() {
        return List.of(
                HyperParameter.real("test_ratio", 0.2, 0.0, 0.9, "random and time splits: share of all ratings held out for test (time: the latest ones)"),
                HyperParameter.real("validation_ratio", 0.1, 0.0, 0.9,
                        "random and time splits: share of all ratings for validation (time: the latest before test); kfold: share of the training folds carved out for validation"),
                HyperParameter.integer("folds", 5, 2, 100, "kfold split: number of folds"),
                HyperParameter.integer("fold", 1, 1, 100, "kfold split: which fold (1-based) is the test part"),
                HyperParameter.integer("leave_last", 1, 1, 1000, "temporal split: last ratings per user held out for test"),
                HyperParameter.integer("validation_last", 1, 0, 1000, "temporal split: ratings before those held out for validation"),
                HyperParameter.integer("top_users", 0, 0, Integer.MAX_VALUE, "keep only the most active users (0 = all)"),
                HyperParameter.integer("top_items", 0, 0, Integer.MAX_VALUE, "keep only the most rated items (0 = all)"),
                HyperParameter.choice("on_error", "fail", List.of("fail", "skip"), "a malformed line stops the load (fail) or is skipped and counted (skip)"));
    }

    /**
     * @param datasetParams what the provider records about the load (e.g. {@code dataset=movielens-1m})
     */
    public static RatingSplits split(RatingTable all, int numUsers, int numItems, float minRating, float maxRating, String dataSha256,
                                     String splitName, Map<String, Object> options, long seed, Map<String, String> datasetParams) {
        return split(all, numUsers, numItems, minRating, maxRating, dataSha256, splitName, options, seed, datasetParams, null);
    }

    /** As above, saying what a top-U x top-M filter kept through {@code logOrNull}. */
    public static RatingSplits split(RatingTable all, int numUsers, int numItems, float minRating, float maxRating, String dataSha256,
                                     String splitName, Map<String, Object> options, long seed, Map<String, String> datasetParams,
                                     java.util.function.Consumer<String> logOrNull) {
        Map<String, Object> opts = options == null ? Map.of() : options;
        int topUsers = intOpt(opts, "top_users", 0);
        int topItems = intOpt(opts, "top_items", 0);
        RatingTable table = all;
        TreeMap<String, String> params = new TreeMap<>(datasetParams);
        if (topUsers > 0 || topItems > 0) {
            TopUsersItems.Filtered f = TopUsersItems.filter(all, numUsers, numItems, topUsers, topItems);
            table = f.table();
            numUsers = f.oldUser().length;
            numItems = f.oldItem().length;
            params.putAll(f.params());
            params.putAll(keptParams(all.size(), table.size(), numUsers, numItems));
            if (logOrNull != null) {
                logOrNull.accept(String.format(java.util.Locale.ROOT,
                        "top %d users x top %d items: kept %,d of %,d ratings, %,d users, %,d items (density %.2f%%)",
                        topUsers, topItems, table.size(), all.size(), numUsers, numItems, 100 * density(table.size(), numUsers, numItems)));
            }
        }
        String name = splitName == null ? "random" : splitName;
        IndexSplit s = switch (name) {
            case "random" -> {
                double test = doubleOpt(opts, "test_ratio", 0.2);
                double validation = doubleOpt(opts, "validation_ratio", 0.1);
                yield Holdout.ratios(table.size(), 1 - test - validation, validation, test, seed);
            }
            case "kfold" -> {
                IndexSplit k = KFold.split(table.size(), intOpt(opts, "folds", 5), intOpt(opts, "fold", 1), seed);
                double validation = doubleOpt(opts, "validation_ratio", 0.1);
                yield validation > 0 ? ValidationCarve.fromTrain(k, validation, seed + 1) : k;
            }
            case "temporal" -> TemporalSplit.leaveLastN(table, numUsers, intOpt(opts, "leave_last", 1), intOpt(opts, "validation_last", 1));
            case "time" -> TimeSplit.byQuantiles(table, doubleOpt(opts, "validation_ratio", 0.1), doubleOpt(opts, "test_ratio", 0.2));
            default -> throw new IllegalArgumentException("unknown split '" + name + "'; valid: " + SPLITS);
        };
        params.putAll(s.params());
        params.put("dataset.ratings", Integer.toString(table.size()));
        params.put("dataset.users", Integer.toString(numUsers));
        params.put("dataset.items", Integer.toString(numItems));
        return new RatingSplits(s.train(table), s.validation(table), s.test(table), numUsers, numItems, minRating, maxRating,
                Map.copyOf(params), dataSha256, SplitId.of(dataSha256, params));
    }

    private static Map<String, String> keptParams(int before, int kept, int users, int items) {
        return Map.of("filter.ratings_before", Integer.toString(before), "filter.kept_ratings", Integer.toString(kept),
                "filter.kept_users", Integer.toString(users), "filter.kept_items", Integer.toString(items),
                "filter.density", String.format(java.util.Locale.ROOT, "%.6f", density(kept, users, items)));
    }

    /** Share of the user x item cells that hold a rating. */
    public static double density(long ratings, int users, int items) {
        return users == 0 || items == 0 ? 0 : ratings / ((double) users * items);
    }

    static int intOpt(Map<String, Object> opts, String key, int def) {
        Object v = opts.get(key);
        return v instanceof Number n ? n.intValue() : def;
    }

    static double doubleOpt(Map<String, Object> opts, String key, double def) {
        Object v = opts.get(key);
        return v instanceof Number n ? n.doubleValue() : def;
    }
}
