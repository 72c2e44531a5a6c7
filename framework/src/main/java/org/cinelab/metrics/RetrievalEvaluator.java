package org.cinelab.metrics;

import org.cinelab.data.RatingTable;

import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.stream.IntStream;

/**
 * Ranks every item for each user with a held-out pair and measures top-k accuracy (exactly as TFRS's
 * {@code FactorizedTopK} with score-based evaluation), recall@k and NDCG@k; see {@link RetrievalMetrics}.
 *
 * <p>Candidates are all items, or all items minus the user's training items ({@code excludeTrain}; a
 * held-out item is always a candidate). Top-k accuracy follows {@code tf.math.in_top_k}: a pair is a hit
 * when its score is finite and fewer than k candidates score strictly higher, so ties count in the
 * item's favour. Recall and NDCG need an ordered list: candidates are ordered by score, ties by lower
 * item id, and NaN scores are never ranked. Each user's top {@code max(ks)} is found by partial
 * selection (a bounded heap), not a full sort.
 */
public final class RetrievalEvaluator {
    /** The cut-offs the studies report. */
    public static final int[] DEFAULT_KS = {10, 50, 100};

    /** A model's scores for one user over all items (length = number of items); larger is better. */
    @FunctionalInterface
    public interface UserScores {
        float[] scores(int user);
    }

    private final int numItems;
    private final int[] evalUsers;
    private final int[][] heldOut;          // per eval user: held-out items, sorted, with repeats
    private final int[][] heldOutDistinct;  // per eval user: distinct held-out items, sorted
    private final int[][] excludable;       // per eval user: training items that are not held out, sorted
    private boolean parallel;

    /**
     * @param train    the ratings the model saw (only used to exclude them when asked)
     * @param evaluated the held-out pairs to evaluate (usually the test split)
     */
    public RetrievalEvaluator(RatingTable train, RatingTable evaluated, int numUsers, int numItems) {
        if (numItems < 1) throw new IllegalArgumentException("numItems must be >= 1, got " + numItems);
        this.numItems = numItems;
        int[][] held = byUser(evaluated, numUsers, numItems, "held-out");
        int[][] seen = byUser(train, numUsers, numItems, "training");
        this.evalUsers = IntStream.range(0, numUsers).filter(u -> held[u].length > 0).toArray();
        this.heldOut = new int[evalUsers.length][];
        this.heldOutDistinct = new int[evalUsers.length][];
        this.excludable = new int[evalUsers.length][];
        for (int e = 0; e < evalUsers.length; e++) {
            int u = evalUsers[e];
            heldOut[e] = held[u];
            heldOutDistinct[e] = Arrays.stream(held[u]).distinct().toArray();
            int[] distinct = heldOutDistinct[e];
            excludable[e] = Arrays.stream(seen[u]).distinct().filter(i -> Arrays.binarySearch(distinct, i) < 0).toArray();
        }
    }

    /**
     * Scores users on the common fork-join pool. Only for a scorer that is safe to call from several
     * threads (e.g. dot products over precomputed embeddings; not a DL4J network's {@code output}).
     */
    public RetrievalEvaluator parallel() {
        this.parallel = true;
        return this;
    }

    public RetrievalMetrics evaluate(UserScores scorer, boolean excludeTrain, int... ks) {
        return evaluateVariants(scorer, new boolean[] {excludeTrain}, ks)[0];
    }

    /**
     * Both variants (all items, and training items excluded) from one scoring pass, as one map of
     * metric names ({@link RetrievalMetrics#asMap()}) to values.
     */
    public Map<String, Double> evaluateBoth(UserScores scorer, int... ks) {
        RetrievalMetrics[] both = evaluateVariants(scorer, new boolean[] {false, true}, ks);
        Map<String, Double> m = new LinkedHashMap<>(both[0].asMap());
        m.putAll(both[1].asMap());
        return m;
    }

    private RetrievalMetrics[] evaluateVariants(UserScores scorer, boolean[] variants, int[] ks) {
        int[] cutoffs = checkCutoffs(ks.length == 0 ? DEFAULT_KS : ks);
        int maxK = Math.min(Arrays.stream(cutoffs).max().orElseThrow(), numItems);
        double[][][] perUser = new double[evalUsers.length][][];
        IntStream users = IntStream.range(0, evalUsers.length);
        (parallel ? users.parallel() : users).forEach(e -> {
            float[] s = scorer.scores(evalUsers[e]);
            if (s == null || s.length != numItems) {
                throw new IllegalStateException("scores for user " + evalUsers[e] + " have length "
                        + (s == null ? "null" : s.length) + ", expected one per item (" + numItems + ")");
            }
            perUser[e] = new double[variants.length][];
            for (int v = 0; v < variants.length; v++) perUser[e][v] = userMetrics(e, s, variants[v], cutoffs, maxK);
        });
        RetrievalMetrics[] out = new RetrievalMetrics[variants.length];
        long pairs = Arrays.stream(heldOut).mapToLong(a -> a.length).sum();
        int n = cutoffs.length;
        for (int v = 0; v < variants.length; v++) {
            double[] hits = new double[n], recall = new double[n], ndcg = new double[n];
            for (double[][] user : perUser) {
                for (int c = 0; c < n; c++) {
                    hits[c] += user[v][c];
                    recall[c] += user[v][n + c];
                    ndcg[c] += user[v][2 * n + c];
                }
            }
            for (int c = 0; c < n; c++) {
                hits[c] = pairs == 0 ? Double.NaN : hits[c] / pairs;
                recall[c] = evalUsers.length == 0 ? Double.NaN : recall[c] / evalUsers.length;
                ndcg[c] = evalUsers.length == 0 ? Double.NaN : ndcg[c] / evalUsers.length;
            }
            out[v] = new RetrievalMetrics(cutoffs.clone(), hits, recall, ndcg, variants[v], pairs, evalUsers.length);
        }
        return out;
    }

    /** {hit counts per k, recall per k, ndcg per k} for one user. */
    private double[] userMetrics(int e, float[] s, boolean excludeTrain, int[] ks, int maxK) {
        int[] top = topCandidates(s, excludeTrain ? excludable[e] : new int[0], maxK);
        float[] topScores = new float[top.length];
        for (int r = 0; r < top.length; r++) topScores[r] = s[top[r]];
        int n = ks.length;
        double[] m = new double[3 * n];
        for (int item : heldOut[e]) {
            float pos = s[item];
            if (!Float.isFinite(pos)) continue;
            int higher = countAbove(topScores, pos);
            for (int c = 0; c < n; c++) if (higher < ks[c]) m[c]++;
        }
        int[] relevant = heldOutDistinct[e];
        for (int c = 0; c < n; c++) {
            int k = Math.min(ks[c], top.length);
            int found = 0;
            double dcg = 0;
            for (int r = 0; r < k; r++) {
                if (Arrays.binarySearch(relevant, top[r]) >= 0) {
                    found++;
                    dcg += 1 / log2(r + 2);
                }
            }
            double ideal = 0;
            for (int r = 0; r < Math.min(ks[c], relevant.length); r++) ideal += 1 / log2(r + 2);
            m[n + c] = (double) found / relevant.length;
            m[2 * n + c] = dcg / ideal;
        }
        return m;
    }

    /** The best {@code k} candidates, best first: score descending, then item id ascending; NaN never ranked. */
    static int[] topCandidates(float[] s, int[] excludedSorted, int k) {
        int[] heapItem = new int[k];
        float[] heapScore = new float[k];
        int size = 0;
        int x = 0;
        for (int item = 0; item < s.length; item++) {
            while (x < excludedSorted.length && excludedSorted[x] < item) x++;
            if (x < excludedSorted.length && excludedSorted[x] == item) continue;
            float v = s[item];
            if (Float.isNaN(v)) continue;
            if (size < k) {
                heapItem[size] = item;
                heapScore[size] = v;
                siftUp(heapItem, heapScore, size++);
            } else if (v > heapScore[0]) { // a later item with an equal score ranks below: never replaces
                heapItem[0] = item;
                heapScore[0] = v;
                siftDown(heapItem, heapScore, size);
            }
        }
        Integer[] order = new Integer[size];
        for (int i = 0; i < size; i++) order[i] = i;
        Arrays.sort(order, (a, b) -> worse(heapItem, heapScore, a, b) ? 1 : worse(heapItem, heapScore, b, a) ? -1 : 0);
        int[] ranked = new int[size];
        for (int i = 0; i < size; i++) ranked[i] = heapItem[order[i]];
        return ranked;
    }

    /** Heap entry {@code a} ranks below {@code b}: lower score, or equal score and higher item id. */
    private static boolean worse(int[] item, float[] score, int a, int b) {
        return score[a] < score[b] || (score[a] == score[b] && item[a] > item[b]);
    }

    private static void siftUp(int[] item, float[] score, int i) {
        while (i > 0) {
            int parent = (i - 1) / 2;
            if (!worse(item, score, i, parent)) return;
            swap(item, score, i, parent);
            i = parent;
        }
    }

    private static void siftDown(int[] item, float[] score, int size) {
        int i = 0;
        while (true) {
            int l = 2 * i + 1, r = l + 1, worst = i;
            if (l < size && worse(item, score, l, worst)) worst = l;
            if (r < size && worse(item, score, r, worst)) worst = r;
            if (worst == i) return;
            swap(item, score, i, worst);
            i = worst;
        }
    }

    private static void swap(int[] item, float[] score, int a, int b) {
        int ti = item[a];
        item[a] = item[b];
        item[b] = ti;
        float ts = score[a];
        score[a] = score[b];
        score[b] = ts;
    }

    /** Entries of a descending array strictly greater than {@code v}. */
    private static int countAbove(float[] descending, float v) {
        int lo = 0, hi = descending.length;
        while (lo < hi) {
            int mid = (lo + hi) >>> 1;
            if (descending[mid] > v) lo = mid + 1;
            else hi = mid;
        }
        return lo;
    }

    private static double log2(double x) { return Math.log(x) / Math.log(2); }

    private static int[] checkCutoffs(int[] ks) {
        for (int k : ks) if (k < 1) throw new IllegalArgumentException("cut-offs must be >= 1, got " + Arrays.toString(ks));
        return ks.clone();
    }

    private static int[][] byUser(RatingTable table, int numUsers, int numItems, String what) {
        int[] counts = new int[numUsers];
        for (int i = 0; i < table.size(); i++) {
            int u = table.user(i), item = table.item(i);
            if (u < 0 || u >= numUsers || item < 0 || item >= numItems) {
                throw new IllegalArgumentException(what + " row " + i + " has user " + u + ", item " + item
                        + "; expected users 0.." + (numUsers - 1) + " and items 0.." + (numItems - 1));
            }
            counts[u]++;
        }
        int[][] out = new int[numUsers][];
        for (int u = 0; u < numUsers; u++) out[u] = new int[counts[u]];
        int[] fill = new int[numUsers];
        for (int i = 0; i < table.size(); i++) out[table.user(i)][fill[table.user(i)]++] = table.item(i);
        for (int[] items : out) Arrays.sort(items);
        return out;
    }
}
