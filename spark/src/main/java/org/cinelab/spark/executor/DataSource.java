package org.cinelab.spark.executor;

import java.io.Serializable;
import java.util.Map;
import java.util.TreeMap;

/**
 * What a task needs to load the same data as the driver, sent with every task: the spec's dataset,
 * split, options and seed; where executors find the files; and the driver's split id, which the
 * executor's copy must reproduce.
 *
 * @param sharedDataDir   the driver's {@code --data-dir} when every executor mounts it at the same path
 *                        (proved by the probe), or null: each executor then fetches into its own cache
 * @param mirror          the dataset mirror the driver used ({@code CINELAB_DATASET_MIRROR}), or null
 * @param expectedSplitId {@code PreparedData.splitId()} on the driver, or null to skip the comparison
 */
public record DataSource(String dataset, String split, Map<String, Object> options, long seed,
                         SharedPathProbe sharedDataDir, String mirror, String expectedSplitId) implements Serializable {
    public DataSource {
        if (dataset == null || dataset.isBlank()) throw new IllegalArgumentException("data source without a dataset name");
        options = options == null ? new TreeMap<>() : new TreeMap<>(options);
    }

    /** Equal keys load equal data. */
    String cacheKey(String dataDir) {
        return dataset + "\u0000" + split + "\u0000" + options + "\u0000" + seed + "\u0000" + dataDir;
    }
}
