package org.cinelab.metrics;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Retrieval quality at several cut-offs, as {@link RetrievalEvaluator} measures it.
 *
 * <ul>
 *   <li>{@code topKAccuracy[i]}: TFRS {@code FactorizedTopK}'s top-k categorical accuracy, the share of
 *       held-out (user, item) pairs whose item ranks within the user's top {@code ks[i]} candidates
 *       (micro-averaged over pairs, ties counted in the item's favour).</li>
 *   <li>{@code recall[i]}: per user, held-out items in the top-k list / the user's held-out items,
 *       averaged over users with at least one held-out item.</li>
 *   <li>{@code ndcg[i]}: per user, binary-relevance DCG of the top-k list ({@code 1/log2(rank+1)})
 *       over the ideal DCG ({@code min(k, held-out items)} hits at the top), averaged over the same users.</li>
 * </ul>
 *
 * @param excludeTrain whether each user's training items were removed from the candidates
 * @param pairs        held-out (user, item) pairs evaluated
 * @param users        users with at least one held-out pair
 */
public record RetrievalMetrics(int[] ks, double[] topKAccuracy, double[] recall, double[] ndcg,
                               boolean excludeTrain, long pairs, int users) {

    public static final String EXCLUDE_TRAIN_SUFFIX = "_excl_train";

    public double topKAccuracy(int k) { return topKAccuracy[indexOf(k)]; }

    public double recall(int k) { return recall[indexOf(k)]; }

    public double ndcg(int k) { return ndcg[indexOf(k)]; }

    /**
     * Metric names as logged to MLflow: {@code top_10_accuracy}, {@code recall_10}, {@code ndcg_10}, ...,
     * each with the suffix {@value #EXCLUDE_TRAIN_SUFFIX} when training items were excluded.
     */
    public Map<String, Double> asMap() {
        String suffix = excludeTrain ? EXCLUDE_TRAIN_SUFFIX : "";
        Map<String, Double> m = new LinkedHashMap<>();
        for (int i = 0; i < ks.length; i++) m.put("top_" + ks[i] + "_accuracy" + suffix, topKAccuracy[i]);
        for (int i = 0; i < ks.length; i++) m.put("recall_" + ks[i] + suffix, recall[i]);
        for (int i = 0; i < ks.length; i++) m.put("ndcg_" + ks[i] + suffix, ndcg[i]);
        return m;
    }

    private int indexOf(int k) {
        for (int i = 0; i < ks.length; i++) if (ks[i] == k) return i;
        throw new IllegalArgumentException("k=" + k + " was not evaluated; evaluated: " + java.util.Arrays.toString(ks));
    }
}
