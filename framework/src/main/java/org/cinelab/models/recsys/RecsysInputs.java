package org.cinelab.models.recsys;

import org.cinelab.data.MovieLensFeatures;
import org.cinelab.data.RatingTable;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

import java.util.ArrayList;
import java.util.List;

/**
 * The network inputs of a (user, movie) example: the two dense ids as [batch, 1] columns for DL4J
 * embedding layers, then the chosen {@link TowerFeature}s (user ones first): a categorical feature
 * as a [batch, 1] index column, a multi-hot one as a [batch, size] row.
 */
final class RecsysInputs {
    static final String USER = "user";
    static final String ITEM = "item";

    private final List<TowerFeature> features;
    private final MovieLensFeatures values;

    /** Ids only. */
    RecsysInputs() { this(List.of(), null); }

    /** Ids plus {@code features} (user features before movie features), read from {@code values}. */
    RecsysInputs(List<TowerFeature> features, MovieLensFeatures values) {
        if (!features.isEmpty() && values == null) throw new IllegalArgumentException("features need their values");
        this.features = List.copyOf(features);
        this.values = values;
    }

    List<String> names() {
        List<String> names = new ArrayList<>(List.of(USER, ITEM));
        for (TowerFeature f : features) names.add(f.inputName());
        return names;
    }

    /** Inputs for the given rows of {@code table}, in {@link #names()} order. */
    INDArray[] batch(RatingTable table, int[] rows) {
        int[] u = new int[rows.length], i = new int[rows.length];
        for (int k = 0; k < rows.length; k++) {
            u[k] = table.user(rows[k]);
            i[k] = table.item(rows[k]);
        }
        return ids(u, i);
    }

    /** Inputs for explicit id pairs (also used to read every user's and every movie's tower output). */
    INDArray[] ids(int[] users, int[] items) {
        INDArray[] in = new INDArray[2 + features.size()];
        in[0] = column(users);
        in[1] = column(items);
        for (int j = 0; j < features.size(); j++) in[2 + j] = feature(features.get(j), features.get(j).user ? users : items);
        return in;
    }

    private INDArray feature(TowerFeature f, int[] ids) {
        if (!f.multiHot) {
            int[] c = new int[ids.length];
            for (int k = 0; k < ids.length; k++) c[k] = f.category(values, ids[k]);
            return column(c);
        }
        int width = f.size(values);
        float[] rows = new float[ids.length * width];
        for (int k = 0; k < ids.length; k++) f.fill(values, ids[k], rows, k * width);
        return Nd4j.createFromArray(rows).reshape(ids.length, width);
    }

    static INDArray ratings(RatingTable table, int[] rows) {
        float[] r = new float[rows.length];
        for (int k = 0; k < rows.length; k++) r[k] = table.rating(rows[k]);
        return Nd4j.createFromArray(r).reshape(r.length, 1);
    }

    private static INDArray column(int[] v) {
        float[] f = new float[v.length];
        for (int k = 0; k < v.length; k++) f[k] = v[k];
        return Nd4j.createFromArray(f).reshape(v.length, 1).castTo(DataType.FLOAT);
    }
}
