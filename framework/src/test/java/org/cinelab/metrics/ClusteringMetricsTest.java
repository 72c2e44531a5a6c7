package org.cinelab.metrics;

import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;

class ClusteringMetricsTest {

    @Test
    void identicalPartitionsUnderRenamingAgreeFully() {
        int[] a = {0, 0, 1, 1, 2, 2};
        int[] b = {2, 2, 0, 0, 1, 1};
        assertEquals(1.0, ClusteringMetrics.nmi(a, b), 1e-12);
        assertEquals(1.0, ClusteringMetrics.adjustedRand(a, b), 1e-12);
    }

    @Test
    void scoresMatchScikitLearnOnItsDocumentedExamples() {
        assertEquals(0.5714285714285715, ClusteringMetrics.adjustedRand(new int[]{0, 0, 1, 2}, new int[]{0, 0, 1, 1}), 1e-12);
        assertEquals(0.8, ClusteringMetrics.nmi(new int[]{0, 0, 1, 2}, new int[]{0, 0, 1, 1}), 1e-12);
        assertEquals(0.0, ClusteringMetrics.nmi(new int[]{0, 0, 1, 1}, new int[]{0, 0, 0, 0}), 1e-12);
    }

    @Test
    void silhouetteOfTwoTightPairsFarApart() {
        float[][] x = {{0}, {1}, {10}, {11}};
        double expected = ((10.5 - 1) / 10.5 + (9.5 - 1) / 9.5) / 2;
        assertEquals(expected, ClusteringMetrics.silhouette(x, new int[]{0, 0, 1, 1}), 1e-9);
    }

    @Test
    void inertiaSumsSquaredDistancesToOwnCentre() {
        float[][] x = {{0, 0}, {2, 0}, {10, 1}};
        float[][] c = {{1, 0}, {10, 0}};
        assertEquals(1 + 1 + 1, ClusteringMetrics.inertia(x, new int[]{0, 0, 1}, c), 1e-9);
    }
}
