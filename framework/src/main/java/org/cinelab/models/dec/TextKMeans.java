package org.cinelab.models.dec;

import org.cinelab.data.text.TextSplits;
import org.cinelab.metrics.ClusteringMetrics;
import org.cinelab.models.TrialModel;

import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * One {@code text-kmeans} trial. The clustering is fitted in epoch 1 (further epochs change nothing)
 * and describes the fitted titles, so validation and test report the same numbers. The checkpoint
 * holds the labels, centres and metrics, so a restored trial does not cluster again.
 */
final class TextKMeans implements TrialModel {
    private static final int MAGIC = 0x434C544B; // "CLTK"

    private final TextSplits data;
    private final int k;
    private final int restarts;
    private final int iterations;
    private final boolean scatter;
    private final long seed;
    private final int[] fitRows;
    private final int[] genres;
    private final float[][] x;
    private int[] labels;
    private float[][] centres;
    private Map<String, Double> metrics;

    TextKMeans(TextSplits data, int k, int restarts, int iterations, boolean fitOnAll, boolean scatter, long seed) {
        this.data = data;
        this.k = k;
        this.restarts = restarts;
        this.iterations = iterations;
        this.scatter = scatter;
        this.seed = seed;
        List<TextSplits.Part> parts = fitOnAll ? List.of(data.train(), data.validation(), data.test()) : List.of(data.train());
        this.fitRows = parts.stream().flatMapToInt(p -> Arrays.stream(p.rows())).toArray();
        this.genres = parts.stream().flatMapToInt(p -> Arrays.stream(p.labels())).toArray();
        this.x = parts.stream().flatMap(p -> Arrays.stream(p.dense() != null ? p.dense() : p.sparse().toDenseFloat())).toArray(float[][]::new);
        if (k > x.length) throw new IllegalArgumentException("model param 'clusters': " + k + " clusters for " + x.length + " titles");
    }

    @Override
    public double trainEpoch(int epoch) {
        if (labels == null) {
            KMeansInit.Result r = KMeansInit.fit(x, k, restarts, iterations, seed);
            labels = r.labels();
            centres = r.centres();
            metrics = score();
        }
        return metrics.get("inertia") / x.length;
    }

    private Map<String, Double> score() {
        int[] sizes = new int[k];
        for (int l : labels) sizes[l]++;
        Map<String, Double> m = new LinkedHashMap<>();
        m.put("inertia", ClusteringMetrics.inertia(x, labels, centres));
        m.put("silhouette", GramSilhouette.of(x, labels));
        m.put("nmi", ClusteringMetrics.nmi(labels, genres));
        m.put("ari", ClusteringMetrics.adjustedRand(labels, genres));
        m.put("largest_cluster", (double) Arrays.stream(sizes).max().orElse(0));
        m.put("smallest_cluster", (double) Arrays.stream(sizes).min().orElse(0));
        return m;
    }

    @Override
    public Map<String, Double> evaluate(Split split) {
        if (metrics == null) throw new IllegalStateException("text-kmeans: evaluate before the clustering epoch");
        return new LinkedHashMap<>(metrics);
    }

    /** Student-t soft assignment (DEC's q with alpha 1) of each row to its own cluster: ranks the example titles. */
    private float[] confidence() {
        float[] c = new float[x.length];
        for (int i = 0; i < x.length; i++) {
            double sum = 0;
            double own = 0;
            for (int j = 0; j < k; j++) {
                double q = 1 / (1 + ClusteringMetrics.squaredDistance(x[i], centres[j]));
                sum += q;
                if (j == labels[i]) own = q;
            }
            c[i] = (float) (own / sum);
        }
        return c;
    }

    @Override
    public void saveCheckpoint(DataOutputStream out) throws IOException {
        out.writeInt(MAGIC);
        out.writeBoolean(labels != null);
        if (labels == null) return;
        out.writeInt(labels.length);
        for (int l : labels) out.writeInt(l);
        out.writeInt(centres[0].length);
        for (float[] c : centres) for (float v : c) out.writeFloat(v);
        out.writeInt(metrics.size());
        for (Map.Entry<String, Double> e : metrics.entrySet()) {
            out.writeUTF(e.getKey());
            out.writeDouble(e.getValue());
        }
    }

    @Override
    public void loadCheckpoint(DataInputStream in) throws IOException {
        if (in.readInt() != MAGIC) throw new IOException("not a text-kmeans checkpoint");
        if (!in.readBoolean()) return;
        int n = in.readInt();
        if (n != x.length) throw new IOException("checkpoint clusters " + n + " titles, the data has " + x.length);
        labels = new int[n];
        for (int i = 0; i < n; i++) labels[i] = in.readInt();
        int dims = in.readInt();
        centres = new float[k][dims];
        for (float[] c : centres) for (int d = 0; d < dims; d++) c[d] = in.readFloat();
        metrics = new LinkedHashMap<>();
        for (int m = in.readInt(); m > 0; m--) metrics.put(in.readUTF(), in.readDouble());
    }

    @Override
    public void exportModel(Path dir) throws IOException {
        if (labels == null) throw new IllegalStateException("text-kmeans: export before the clustering epoch");
        Files.createDirectories(dir);
        new ClusterArtifacts(data, fitRows, new ClusterArtifacts.Clustering("k-means", k, labels, confidence(), x, metrics), scatter, seed)
                .write(dir);
    }

    @Override
    public long parameterCount() { return (long) k * x[0].length; }

    int[] labels() { return labels; }
}
