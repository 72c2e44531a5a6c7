package org.cinelab.data.split;

import java.util.Map;

/**
 * Takes a validation part out of a split's training rows (never its test rows), by a seeded shuffle
 * of the training rows; {@code ratio} is a share of the training rows, rounded as {@link Holdout#share}.
 */
public final class ValidationCarve {
    private ValidationCarve() {}

    public static IndexSplit fromTrain(IndexSplit split, double ratio, long seed) {
        if (split.validation().length > 0) throw new IllegalArgumentException("split already has a validation part");
        int[] train = split.train().clone();
        int v = Holdout.share(train.length, ratio);
        SeededShuffle.shuffle(train, seed);
        return new IndexSplit(SeededShuffle.sortedCopy(train, v, train.length), SeededShuffle.sortedCopy(train, 0, v), split.test(), split.params())
                .withParams(Map.of("split.validation_carve", Double.toString(ratio), "split.validation_seed", Long.toString(seed)));
    }
}
