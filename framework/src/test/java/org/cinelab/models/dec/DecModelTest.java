package org.cinelab.models.dec;

import org.cinelab.data.text.TextSplits;
import org.cinelab.space.Hyperparams;
import org.cinelab.models.TrialModel;
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

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

class DecModelTest {
    @TempDir
    Path dir;

    private static final Map<String, Object> SMALL = Map.of("dims", "32,3", "clusters", 3, "kmeans_restarts", 3,
            "batch_size", 32, "lr", 0.01, "refine_batch_size", 64, "update_interval", 5, "max_iterations", 40, "scatter", true);

    private static DecModel model(TextSplits data, long seed) {
        DecFactory f = new DecFactory();
        return (DecModel) f.create(Hyperparams.resolve(f.hyperParameters(), SMALL, Map.of()), data, seed);
    }

    @Test
    void clusters_of_generated_titles_recover_their_three_genre_vocabularies() throws Exception {
        TextSplits data = GeneratedTitles.load(dir, 300, Map.of("representation", "tfidf"));
        DecModel m = model(data, 1);
        double first = m.trainEpoch(1);
        double last = first;
        for (int e = 2; e <= 15; e++) last = m.trainEpoch(e);
        assertTrue(last < first, "pre-training lowers the reconstruction loss: " + first + " -> " + last);
        Map<String, Double> test = m.evaluate(TrialModel.Split.TEST);
        assertTrue(test.get("nmi") > 0.6, "genre agreement " + test);
        assertTrue(test.get("silhouette") > 0.2, "compact clusters " + test);
        assertTrue(test.get("dec_loss") >= 0, test.toString());
    }

    @Test
    void a_model_restored_from_a_checkpoint_clusters_exactly_like_the_original_and_exports_the_label_file() throws Exception {
        TextSplits data = GeneratedTitles.load(dir, 200, Map.of("representation", "tfidf"));
        DecModel a = model(data, 3);
        for (int e = 1; e <= 3; e++) a.trainEpoch(e);
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        a.saveCheckpoint(new DataOutputStream(bytes));
        DecModel b = model(data, 3);
        b.loadCheckpoint(new DataInputStream(new ByteArrayInputStream(bytes.toByteArray())));
        assertArrayEquals(a.clustering().labels(), b.clustering().labels());
        assertEquals(a.clustering().metrics(), b.clustering().metrics());

        Path out = dir.resolve("model");
        b.exportModel(out);
        List<String> labels = Files.readAllLines(out.resolve(ClusterArtifacts.LABELS_FILE));
        assertEquals(201, labels.size(), "a header and one line per title (fit_on all)");
        assertTrue(labels.get(1).matches("s\\d+,[0-2],0\\.\\d{4},Title \\d+"), labels.get(1));
        for (String f : List.of("cluster_sizes.csv", "cluster_examples.csv", "clusters.md", "cluster_scatter_pca.png", "cluster_scatter_tsne.png", "autoencoder.zip")) {
            assertTrue(Files.size(out.resolve(f)) > 0, f);
        }
    }

    @Test
    void on_the_real_catalogue_every_one_of_the_7787_titles_gets_a_cluster() throws Exception {
        Path shared = org.cinelab.testing.SharedData.dir("netflix-titles").getParent();
        TextSplits data = (TextSplits) new org.cinelab.data.sets.NetflixTitlesDataset().load(
                new org.cinelab.data.DatasetRequest("random", Map.of("maxlen", 50), 42, shared, m -> {}));
        DecFactory f = new DecFactory();
        DecModel m = (DecModel) f.create(Hyperparams.resolve(f.hyperParameters(), Map.of("dims", "16,4", "clusters", 5, "kmeans_restarts", 1,
                "max_iterations", 20, "scatter", false), Map.of()), data, 1);
        m.trainEpoch(1);
        Map<String, Double> test = m.evaluate(TrialModel.Split.TEST);
        assertTrue(test.get("nmi") >= 0 && test.get("nmi") <= 1, test.toString());
        m.exportModel(dir);
        assertEquals(7_788, Files.readAllLines(dir.resolve(ClusterArtifacts.LABELS_FILE)).size());
    }
}
