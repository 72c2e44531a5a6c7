package org.cinelab.models.dec;

import org.cinelab.metrics.ClusteringMetrics;
import org.cinelab.models.dl4j.DenseEncoder;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;

/**
 * DEC's second stage (Xie et al. 2016, section 3.1-3.2, as in the authors' Keras port): embed,
 * k-means with restarts for the centres, then minibatch KL(P‖Q) refinement of encoder and centres
 * with the target P recomputed from all rows every {@code update_interval} batches, stopping when
 * fewer than {@code tol} of the labels changed since the previous refresh. The refinement trains on
 * CineLab's dense engine ({@link ClusteringRefiner}); the refined encoder and centres are exported as
 * a SameDiff graph ({@link ClusteringGraph}).
 */
final class DecClustering {
    private DecClustering() {}

    static DecResult run(DecSettings s, List<INDArray> weights, List<INDArray> biases, INDArray x, int[] reference, long seed) {
        ClusteringRefiner refiner = new ClusteringRefiner(weights, biases, new float[s.clusters()][s.embeddingSize()], s.alpha(),
                s.refineBatchSize());
        DenseEncoder.Rows rows = new DenseEncoder.Rows(x);
        float[][] z0 = refiner.embed(rows);
        KMeansInit.Result km = KMeansInit.fit(z0, s.clusters(), s.kmeansRestarts(), s.kmeansIterations(), seed);
        refiner.setCentres(km.centres());
        Map<String, Double> metrics = new LinkedHashMap<>();
        metrics.put("kmeans_inertia", km.inertia());
        metrics.put("kmeans_silhouette", ClusteringMetrics.silhouette(z0, km.labels()));
        metrics.put("kmeans_nmi", ClusteringMetrics.nmi(km.labels(), reference));
        metrics.put("kmeans_ari", ClusteringMetrics.adjustedRand(km.labels(), reference));

        int n = rows.count();
        int[] labels = km.labels();
        double[][] p = null;
        int iteration = 0;
        double change = Double.NaN;
        int[] order = shuffled(n, seed);
        int position = 0;
        while (iteration < s.maxIterations()) {
            if (iteration % s.updateInterval() == 0) {
                double[][] q = refiner.softAssign(refiner.embed(rows));
                p = ClusteringRefiner.target(q);
                int[] now = argmax(q);
                change = changed(labels, now);
                labels = now;
                if (iteration > 0 && change < s.tol()) break;
            }
            int to = Math.min(n, position + s.refineBatchSize());
            refiner.step(rows, java.util.Arrays.copyOfRange(order, position, to), p, s.refineLr(), s.refineMomentum());
            position = to >= n ? 0 : to;
            iteration++;
        }
        float[][] z = refiner.embed(rows);
        double[][] q = refiner.softAssign(z);
        int[] finalLabels = argmax(q);
        if (!Double.isNaN(change) || s.maxIterations() > 0) change = changed(labels, finalLabels);
        float[][] centres = refiner.centres();
        float[] confidence = new float[n];
        for (int i = 0; i < n; i++) confidence[i] = (float) q[i][finalLabels[i]];
        Map<String, Double> m = new LinkedHashMap<>();
        m.put("silhouette", ClusteringMetrics.silhouette(z, finalLabels));
        m.put("nmi", ClusteringMetrics.nmi(finalLabels, reference));
        m.put("ari", ClusteringMetrics.adjustedRand(finalLabels, reference));
        m.put("inertia", ClusteringMetrics.inertia(z, finalLabels, centres));
        m.put("dec_loss", ClusteringRefiner.loss(ClusteringRefiner.target(q), q));
        m.put("refine_iterations", (double) iteration);
        m.put("label_change", Double.isNaN(change) ? 0.0 : change);
        m.putAll(metrics);
        ClusteringGraph graph = new ClusteringGraph(refiner.weights(), refiner.biases(), Nd4j.createFromArray(centres), s.alpha(), DataType.FLOAT);
        return new DecResult(graph, finalLabels, confidence, z, centres, m);
    }

    static int[] argmax(double[][] q) {
        int[] a = new int[q.length];
        for (int i = 0; i < q.length; i++) {
            for (int j = 1; j < q[i].length; j++) if (q[i][j] > q[i][a[i]]) a[i] = j;
        }
        return a;
    }

    private static double changed(int[] before, int[] after) {
        int c = 0;
        for (int i = 0; i < before.length; i++) if (before[i] != after[i]) c++;
        return (double) c / before.length;
    }

    private static int[] shuffled(int n, long seed) {
        int[] a = new int[n];
        for (int i = 0; i < n; i++) a[i] = i;
        SplittableRandom rng = new SplittableRandom(seed ^ 0xDEC0DEC0L);
        for (int i = n - 1; i > 0; i--) {
            int j = rng.nextInt(i + 1);
            int t = a[i]; a[i] = a[j]; a[j] = t;
        }
        return a;
    }
}
