package org.cinelab.models.autoencoder;

import org.cinelab.data.RatingTable;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/**
 * Training ratings as one dense vector per user (over all items) or per item (over all users),
 * 0 where unrated: the input and the target of a rating-vector autoencoder. Built once in memory
 * so that minibatches are row gathers.
 */
final class RatingVectors {
    final INDArray matrix;
    final int[] nonEmptyRows;
    final boolean[] empty;
    final boolean byUser;

    private RatingVectors(INDArray matrix, int[] nonEmptyRows, boolean[] empty, boolean byUser) {
        this.matrix = matrix;
        this.nonEmptyRows = nonEmptyRows;
        this.empty = empty;
        this.byUser = byUser;
    }

    static RatingVectors of(RatingTable train, int numUsers, int numItems, boolean byUser) {
        int rows = byUser ? numUsers : numItems;
        int cols = byUser ? numItems : numUsers;
        float[] dense = new float[rows * cols];
        boolean[] empty = new boolean[rows];
        java.util.Arrays.fill(empty, true);
        for (int j = 0; j < train.size(); j++) {
            int r = byUser ? train.user(j) : train.item(j);
            int c = byUser ? train.item(j) : train.user(j);
            dense[r * cols + c] = train.rating(j);
            empty[r] = false;
        }
        int n = 0;
        for (boolean e : empty) if (!e) n++;
        int[] nonEmpty = new int[n];
        n = 0;
        for (int r = 0; r < rows; r++) if (!empty[r]) nonEmpty[n++] = r;
        return new RatingVectors(Nd4j.create(dense, new long[]{rows, cols}, 'c'), nonEmpty, empty, byUser);
    }

    int rows() { return (int) matrix.size(0); }

    int cols() { return (int) matrix.size(1); }

    /** The row that holds (user, item) and the column within it. */
    int rowOf(int user, int item) { return byUser ? user : item; }

    int colOf(int user, int item) { return byUser ? item : user; }

    INDArray batch(int[] rows) { return Nd4j.pullRows(matrix, 1, rows); }
}
