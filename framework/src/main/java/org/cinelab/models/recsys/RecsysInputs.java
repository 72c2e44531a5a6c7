package org.cinelab.models.recsys;

import org.cinelab.data.RatingTable;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

import java.util.List;

/**
 * The network inputs of a (user, movie) example. Today: the two dense ids, as [batch, 1] columns
 * for DL4J embedding layers. User and movie features (age, occupation, genres, ...) are further
 * inputs here: add their names to {@link #names()} and their arrays to {@link #batch}, and give the
 * towers the matching input vertices in {@link RecsysGraphs}.
 */
final class RecsysInputs {
    static final String USER = "user";
    static final String ITEM = "item";

    List<String> names() { return List.of(USER, ITEM); }

    /** Inputs for the given rows of {@code table}, in {@link #names()} order. */
    INDArray[] batch(RatingTable table, int[] rows) {
        float[] u = new float[rows.length], i = new float[rows.length];
        for (int k = 0; k < rows.length; k++) {
            u[k] = table.user(rows[k]);
            i[k] = table.item(rows[k]);
        }
        return new INDArray[]{column(u), column(i)};
    }

    /** Inputs for explicit id pairs (used to read every user's and every movie's tower output). */
    INDArray[] ids(int[] users, int[] items) {
        float[] u = new float[users.length], i = new float[items.length];
        for (int k = 0; k < users.length; k++) u[k] = users[k];
        for (int k = 0; k < items.length; k++) i[k] = items[k];
        return new INDArray[]{column(u), column(i)};
    }

    static INDArray ratings(RatingTable table, int[] rows) {
        float[] r = new float[rows.length];
        for (int k = 0; k < rows.length; k++) r[k] = table.rating(rows[k]);
        return column(r);
    }

    private static INDArray column(float[] v) {
        return Nd4j.createFromArray(v).reshape(v.length, 1).castTo(DataType.FLOAT);
    }
}
