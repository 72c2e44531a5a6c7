package org.cinelab.models.recsys;

import org.cinelab.data.RatingTable;
import org.nd4j.linalg.api.ndarray.INDArray;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * A stop-gap retrieval metric until the shared ranking metrics land: the share of held-out
 * (user, movie) pairs whose movie ranks within the user's top k of all movies by dot-product score
 * (TFRS's FactorizedTopK "top-k accuracy"; movies rated in training are NOT excluded). Ties count
 * against the held-out movie only when strictly higher.
 */
final class TopKHitRate {
    static final int[] KS = {10, 50, 100};

    private TopKHitRate() {}

    static Map<String, Double> evaluate(INDArray users, INDArray items, RatingTable heldOut, int[] ks) {
        float[][] scores = users.mmul(items.transpose()).toFloatMatrix();
        long[] hits = new long[ks.length];
        for (int j = 0; j < heldOut.size(); j++) {
            float[] row = scores[heldOut.user(j)];
            float target = row[heldOut.item(j)];
            int rank = 0;
            for (float v : row) if (v > target) rank++;
            for (int k = 0; k < ks.length; k++) if (rank < ks[k]) hits[k]++;
        }
        Map<String, Double> m = new LinkedHashMap<>();
        for (int k = 0; k < ks.length; k++) m.put("hit_rate_" + ks[k], heldOut.size() == 0 ? Double.NaN : (double) hits[k] / heldOut.size());
        return m;
    }
}
