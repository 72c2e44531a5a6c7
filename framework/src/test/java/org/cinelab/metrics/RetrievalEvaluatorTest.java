package org.cinelab.metrics;

import org.cinelab.data.RatingTable;
import org.junit.jupiter.api.Test;

import java.util.Arrays;
import java.util.Comparator;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.stream.IntStream;

import static org.junit.jupiter.api.Assertions.*;

class RetrievalEvaluatorTest {
    private static final double EPS = 1e-12;

    /** Ratings table from (user, item) pairs. */
    private static RatingTable pairs(int... userItem) {
        int n = userItem.length / 2;
        int[] u = new int[n], it = new int[n];
        for (int i = 0; i < n; i++) {
            u[i] = userItem[2 * i];
            it[i] = userItem[2 * i + 1];
        }
        return new RatingTable(u, it, new float[n], new long[n]);
    }

    private static RetrievalEvaluator.UserScores fixed(float[]... perUser) {
        return user -> perUser[user].clone();
    }

    @Test
    void aHeldOutItemWithTwoHigherScoredItemsIsInTheTop3ButNotTheTop2() {
        // items 0..4 scored 0.1 0.9 0.5 0.7 0.3; held-out item 2 ranks third (after 1 and 3)
        var eval = new RetrievalEvaluator(pairs(0, 1), pairs(0, 2), 1, 5);
        RetrievalMetrics m = eval.evaluate(fixed(new float[] {0.1f, 0.9f, 0.5f, 0.7f, 0.3f}), false, 1, 2, 3);
        assertArrayEquals(new double[] {0, 0, 1}, m.topKAccuracy(), EPS);
        assertArrayEquals(new double[] {0, 0, 1}, m.recall(), EPS);
        assertEquals(1 / (Math.log(4) / Math.log(2)), m.ndcg(3), EPS); // hit at rank 3: 1/log2(4) = 0.5
        assertEquals(0.5, m.ndcg(3), EPS);
        assertEquals(1, m.pairs());
        assertEquals(1, m.users());
    }

    @Test
    void excludingTheTrainingItemMovesTheHeldOutItemUpOneRank() {
        // item 1 (0.9) was rated in training; without it, item 2 ranks second behind item 3
        var eval = new RetrievalEvaluator(pairs(0, 1), pairs(0, 2), 1, 5);
        RetrievalMetrics m = eval.evaluate(fixed(new float[] {0.1f, 0.9f, 0.5f, 0.7f, 0.3f}), true, 1, 2, 3);
        assertArrayEquals(new double[] {0, 1, 1}, m.topKAccuracy(), EPS);
        assertArrayEquals(new double[] {0, 1, 1}, m.recall(), EPS);
        assertEquals(1 / (Math.log(3) / Math.log(2)), m.ndcg(2), EPS); // rank 2: 1/log2(3)
        assertTrue(m.excludeTrain());
    }

    @Test
    void tiedScoresCountInTheHeldOutItemsFavourAsTfInTopKDoes() {
        // every item scores 1: nothing scores strictly higher, so the pair is a top-1 hit
        var eval = new RetrievalEvaluator(pairs(), pairs(0, 3), 1, 4);
        RetrievalMetrics m = eval.evaluate(fixed(new float[] {1, 1, 1, 1}), false, 1);
        assertEquals(1.0, m.topKAccuracy(1), EPS);
        // the ordered list breaks ties by item id, so item 3 is fourth: not in the top-1 list
        assertEquals(0.0, m.recall(1), EPS);
        assertEquals(0.0, m.ndcg(1), EPS);
    }

    @Test
    void topKAccuracyAveragesOverPairsWhileRecallAndNdcgAverageOverUsers() {
        // user 0: held-out items 0 (rank 1) and 3 (rank 4); user 1: held-out item 2 (rank 1)
        float[] u0 = {0.9f, 0.8f, 0.7f, 0.1f};
        float[] u1 = {0.1f, 0.2f, 0.9f, 0.3f};
        var eval = new RetrievalEvaluator(pairs(), pairs(0, 0, 0, 3, 1, 2), 2, 4);
        RetrievalMetrics m = eval.evaluate(fixed(u0, u1), false, 1);
        assertEquals(2.0 / 3, m.topKAccuracy(1), EPS);     // 2 of 3 pairs
        assertEquals((0.5 + 1.0) / 2, m.recall(1), EPS);   // user 0 finds 1 of 2, user 1 finds 1 of 1
        assertEquals((1.0 + 1.0) / 2, m.ndcg(1), EPS);     // ideal DCG@1 is one hit for both users
        assertEquals(3, m.pairs());
        assertEquals(2, m.users());
    }

    @Test
    void ndcgDividesByTheIdealOrderingOfTheUsersHeldOutItems() {
        // ranked list 0,1,2 with items 0 and 2 held out: DCG = 1 + 1/log2(4); ideal = 1 + 1/log2(3)
        var eval = new RetrievalEvaluator(pairs(), pairs(0, 0, 0, 2), 1, 3);
        RetrievalMetrics m = eval.evaluate(fixed(new float[] {3, 2, 1}), false, 3);
        double log2of3 = Math.log(3) / Math.log(2);
        assertEquals((1 + 0.5) / (1 + 1 / log2of3), m.ndcg(3), EPS);
        assertEquals(1.0, m.recall(3), EPS);
    }

    @Test
    void aNonFiniteHeldOutScoreIsAMissAndNaNCandidatesAreNeverRanked() {
        var eval = new RetrievalEvaluator(pairs(), pairs(0, 0, 0, 2), 1, 3);
        RetrievalMetrics m = eval.evaluate(fixed(new float[] {Float.NaN, Float.NaN, 0f}), false, 1);
        assertEquals(0.5, m.topKAccuracy(1), EPS); // item 2 is a hit, item 0 (NaN) a miss
        assertArrayEquals(new int[] {2}, RetrievalEvaluator.topCandidates(new float[] {Float.NaN, Float.NaN, 0f}, new int[0], 3));
    }

    @Test
    void partialSelectionRanksLikeAFullSortByScoreThenItemId() {
        SplittableRandom rng = new SplittableRandom(3);
        for (int round = 0; round < 50; round++) {
            int n = 1 + rng.nextInt(300);
            float[] s = new float[n];
            for (int i = 0; i < n; i++) s[i] = rng.nextInt(20) / 4f; // many ties
            int[] excluded = IntStream.range(0, n).filter(i -> rng.nextInt(5) == 0).toArray();
            int k = 1 + rng.nextInt(n);
            int[] expected = IntStream.range(0, n).filter(i -> Arrays.binarySearch(excluded, i) < 0).boxed()
                    .sorted(Comparator.<Integer>comparingDouble(i -> -s[i]).thenComparingInt(i -> i))
                    .limit(k).mapToInt(Integer::intValue).toArray();
            assertArrayEquals(expected, RetrievalEvaluator.topCandidates(s, excluded, k), "round " + round);
        }
    }

    @Test
    void parallelScoringGivesTheSameNumbersAsSequential() {
        SplittableRandom rng = new SplittableRandom(11);
        int users = 40, items = 120;
        float[][] scores = new float[users][items];
        for (float[] row : scores) for (int i = 0; i < items; i++) row[i] = (float) rng.nextGaussian();
        int[] train = new int[2 * 400], test = new int[2 * 200];
        for (int i = 0; i < 400; i++) { train[2 * i] = rng.nextInt(users); train[2 * i + 1] = rng.nextInt(items); }
        for (int i = 0; i < 200; i++) { test[2 * i] = rng.nextInt(users); test[2 * i + 1] = rng.nextInt(items); }
        Map<String, Double> seq = new RetrievalEvaluator(pairs(train), pairs(test), users, items).evaluateBoth(fixed(scores), 10, 50, 100);
        Map<String, Double> par = new RetrievalEvaluator(pairs(train), pairs(test), users, items).parallel().evaluateBoth(fixed(scores), 10, 50, 100);
        assertEquals(seq, par);
        assertEquals(18, seq.size());
        assertTrue(seq.containsKey("top_100_accuracy") && seq.containsKey("ndcg_10_excl_train"));
    }

    @Test
    void metricNamesCarryKAndTheExclusionVariant() {
        var eval = new RetrievalEvaluator(pairs(0, 1), pairs(0, 2), 1, 5);
        float[] s = {0.1f, 0.9f, 0.5f, 0.7f, 0.3f};
        assertEquals(java.util.List.of("top_10_accuracy", "top_50_accuracy", "top_100_accuracy", "recall_10", "recall_50",
                "recall_100", "ndcg_10", "ndcg_50", "ndcg_100"), java.util.List.copyOf(eval.evaluate(fixed(s), false).asMap().keySet()));
        assertTrue(eval.evaluate(fixed(s), true).asMap().keySet().stream().allMatch(k -> k.endsWith("_excl_train")));
    }

    @Test
    void scoresOfTheWrongLengthAreRefusedWithTheExpectedLength() {
        var eval = new RetrievalEvaluator(pairs(), pairs(0, 1), 1, 5);
        var e = assertThrows(IllegalStateException.class, () -> eval.evaluate(u -> new float[3], false));
        assertTrue(e.getMessage().contains("expected one per item (5)"), e.getMessage());
    }
}
