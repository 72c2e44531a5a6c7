package org.cinelab.models.dl4j;

/**
 * A model's example order kept from epoch to epoch: one array, refilled each epoch (the identity or
 * the given rows, shuffled by {@link SeededBatches#shuffle}; {@link SeededBatches#order} is the same
 * in a new array). A new array per epoch was the only heap a trainer's epoch still allocated (288 kB
 * in the tower models). The array returned belongs to this object and is overwritten by its next call.
 */
public final class EpochOrder {
    private int[] order = new int[0];

    /** 0..n-1 in the epoch's order. */
    public int[] of(int n, long seed, int epoch, boolean shuffle) {
        if (order.length != n) order = new int[n];
        for (int i = 0; i < n; i++) order[i] = i;
        if (shuffle) SeededBatches.shuffle(order, seed, epoch);
        return order;
    }

    /** The values of {@code rows} in the epoch's order ({@code rows} itself is left as it is). */
    public int[] of(int[] rows, long seed, int epoch, boolean shuffle) {
        if (order.length != rows.length) order = new int[rows.length];
        System.arraycopy(rows, 0, order, 0, rows.length);
        if (shuffle) SeededBatches.shuffle(order, seed, epoch);
        return order;
    }
}
