package org.cinelab.models.dec;

import org.cinelab.metrics.ClusteringMetrics;
import org.tribuo.Feature;
import org.tribuo.MutableDataset;
import org.tribuo.clustering.ClusterID;
import org.tribuo.clustering.ClusteringFactory;
import org.tribuo.clustering.kmeans.KMeansModel;
import org.tribuo.clustering.kmeans.KMeansTrainer;
import org.tribuo.impl.ArrayExample;
import org.tribuo.provenance.SimpleDataSourceProvenance;

import java.util.List;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * k-means with {@code n_init} restarts (scikit-learn's meaning: keep the run of lowest inertia) on
 * top of Tribuo's k-means++ trainer. DEC uses it to place the initial cluster centres.
 */
public final class KMeansInit {
    /** Centres ({@code k x dims}), each point's nearest centre, and the inertia of that assignment. */
    public record Result(float[][] centres, int[] labels, double inertia) {}

    private KMeansInit() {}

    public static Result fit(float[][] x, int k, int restarts, int iterations, long seed) {
        Logger.getLogger("org.tribuo").setLevel(Level.WARNING);
        int dims = x[0].length;
        String[] names = new String[dims];
        for (int d = 0; d < dims; d++) names[d] = String.format("z%04d", d);
        ClusteringFactory factory = new ClusteringFactory();
        MutableDataset<ClusterID> data = new MutableDataset<>(new SimpleDataSourceProvenance("embedding", factory), factory);
        for (float[] row : x) {
            double[] v = new double[dims];
            for (int d = 0; d < dims; d++) v[d] = row[d] == 0f ? 1e-30 : row[d];
            data.add(new ArrayExample<>(ClusteringFactory.UNASSIGNED_CLUSTER_ID, names, v));
        }
        Result best = null;
        for (int r = 0; r < Math.max(1, restarts); r++) {
            KMeansTrainer trainer = new KMeansTrainer(k, iterations, KMeansTrainer.Distance.EUCLIDEAN,
                    KMeansTrainer.Initialisation.PLUSPLUS, 1, seed + 7919L * r);
            KMeansModel model = trainer.train(data);
            float[][] centres = centres(model, names, k);
            int[] labels = nearest(x, centres);
            double inertia = ClusteringMetrics.inertia(x, labels, centres);
            if (best == null || inertia < best.inertia()) best = new Result(centres, labels, inertia);
        }
        return best;
    }

    private static float[][] centres(KMeansModel model, String[] names, int k) {
        java.util.Map<String, Integer> index = new java.util.HashMap<>();
        for (int d = 0; d < names.length; d++) index.put(names[d], d);
        List<List<Feature>> list = model.getCentroids();
        float[][] c = new float[k][names.length];
        for (int j = 0; j < list.size() && j < k; j++) {
            for (Feature f : list.get(j)) c[j][index.get(f.getName())] = (float) f.getValue();
        }
        return c;
    }

    /** Index of the nearest centre for every row. */
    public static int[] nearest(float[][] x, float[][] centres) {
        int[] labels = new int[x.length];
        for (int i = 0; i < x.length; i++) {
            double best = Double.POSITIVE_INFINITY;
            for (int j = 0; j < centres.length; j++) {
                double d = ClusteringMetrics.squaredDistance(x[i], centres[j]);
                if (d < best) {
                    best = d;
                    labels[i] = j;
                }
            }
        }
        return labels;
    }
}
