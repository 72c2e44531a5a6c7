package org.cinelab.models.dec;

import org.cinelab.data.text.TextSplits;
import org.cinelab.metrics.ClusteringMetrics;
import org.cinelab.space.Hyperparams;
import org.cinelab.models.zoo.ModelRegistry;
import org.cinelab.models.TrialModel;
import org.cinelab.models.text.ClusterLabels;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

class TextKMeansTest {
    @TempDir
    Path dir;

    private static TextKMeans model(TextSplits data, long seed) {
        TextKMeansFactory f = (TextKMeansFactory) ModelRegistry.find("text-kmeans").orElseThrow();
        return (TextKMeans) f.create(Hyperparams.resolve(f.hyperParameters(), Map.of("clusters", 3, "kmeans_restarts", 3), Map.of()), data, seed);
    }

    @Test
    void kmeans_of_tfidf_recovers_the_three_genre_vocabularies_and_scores_the_clusters() throws Exception {
        TextSplits data = GeneratedTitles.load(dir, 300, Map.of("representation", "tfidf"));
        TextKMeans m = model(data, 1);
        m.trainEpoch(1);
        Map<String, Double> test = m.evaluate(TrialModel.Split.TEST);
        assertTrue(test.get("nmi") > 0.8, "genre agreement " + test);
        assertTrue(test.get("ari") > 0.8, test.toString());
        assertTrue(test.get("silhouette") > 0.02 && test.get("silhouette") <= 1, test.toString());
        assertTrue(test.get("largest_cluster") >= 100 && test.get("smallest_cluster") >= 1 && test.get("smallest_cluster") <= 100,
                "cluster sizes of 300 titles in 3 clusters " + test);
        assertEquals(test, m.evaluate(TrialModel.Split.VALIDATION), "the clusters describe all titles: one set of numbers");
    }

    @Test
    void a_restored_trial_does_not_recluster_and_exports_labels_and_content_words() throws Exception {
        TextSplits data = GeneratedTitles.load(dir, 120, Map.of("representation", "tfidf"));
        TextKMeans a = model(data, 2);
        a.trainEpoch(1);
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        a.saveCheckpoint(new DataOutputStream(bytes));
        TextKMeans b = model(data, 2);
        b.loadCheckpoint(new DataInputStream(new ByteArrayInputStream(bytes.toByteArray())));
        assertArrayEquals(a.labels(), b.labels());
        assertEquals(a.evaluate(TrialModel.Split.TEST), b.evaluate(TrialModel.Split.TEST));

        Path out = dir.resolve("model");
        b.exportModel(out);
        assertEquals(121, Files.readAllLines(out.resolve(ClusterArtifacts.LABELS_FILE)).size());
        ClusterLabels chained = ClusterLabels.read(out.resolve(ClusterArtifacts.LABELS_FILE));
        assertEquals(3, chained.classes(), "the classifiers read the k-means labels as they read DEC's");
        assertEquals(b.labels()[0], chained.of(data.titles().get(data.train().rows()[0], org.cinelab.data.netflix.NetflixTitles.Column.SHOW_ID)));
        String sizes = Files.readString(out.resolve("cluster_sizes.csv"));
        for (String stop : List.of(" the ", " of ", ",the ", ",of ")) assertFalse(sizes.contains(stop), sizes);
        assertTrue(Files.readString(out.resolve("clusters.md")).startsWith("# k-means clusters"));
        assertTrue(Files.size(out.resolve("cluster_scatter_pca.png")) > 0);
        assertTrue(Files.size(out.resolve("cluster_scatter_tsne.png")) > 0, "the study's t-SNE figure beside the PCA one");
    }

    @Test
    void the_gram_silhouette_equals_the_plain_one() {
        SplittableRandom rng = new SplittableRandom(5);
        float[][] x = new float[90][40];
        int[] labels = new int[90];
        for (int i = 0; i < x.length; i++) {
            labels[i] = i % 4;
            for (int d = 0; d < 40; d++) x[i][d] = (float) (rng.nextGaussian() + (d % 4 == labels[i] ? 2 : 0));
        }
        labels[7] = 3; // uneven sizes
        assertEquals(ClusteringMetrics.silhouette(x, labels), GramSilhouette.of(x, labels), 1e-5);
    }
}
