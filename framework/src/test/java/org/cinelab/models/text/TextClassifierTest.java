package org.cinelab.models.text;

import org.cinelab.data.netflix.NetflixTitles.Column;
import org.cinelab.data.text.TextSplits;
import org.cinelab.space.Hyperparams;
import org.cinelab.models.ModelFactory;
import org.cinelab.models.TrialModel;
import org.cinelab.models.dec.GeneratedTitles;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class TextClassifierTest {
    @TempDir
    Path dir;

    /** A label file that puts each generated title in its genre's cluster. */
    private Path genreLabelFile(TextSplits data) throws Exception {
        StringBuilder b = new StringBuilder("show_id,cluster,confidence,title\n");
        for (int r = 0; r < data.titles().size(); r++) {
            String genre = data.titles().get(r, Column.LISTED_IN);
            int cluster = genre.startsWith("Sci") ? 0 : genre.startsWith("Rom") ? 1 : 2;
            b.append(data.titles().get(r, Column.SHOW_ID)).append(',').append(cluster).append(",1.0,t\n");
        }
        Path f = dir.resolve("cluster_labels.csv");
        Files.writeString(f, b);
        return f;
    }

    private static TrialModel create(ModelFactory f, TextSplits data, Map<String, Object> params) {
        return f.create(Hyperparams.resolve(f.hyperParameters(), params, Map.of()), data, 5);
    }

    @Test
    void a_dense_network_learns_the_clusters_of_generated_titles_and_writes_its_confusion_report() throws Exception {
        TextSplits data = GeneratedTitles.load(dir, 300, Map.of("representation", "tfidf"));
        TrialModel m = create(TextClassifierFactory.dnn(), data, Map.of("labels", genreLabelFile(data).toString(),
                "hidden", "32", "batch_size", 32, "lr", 0.01));
        for (int e = 1; e <= 10; e++) m.trainEpoch(e);
        Map<String, Double> test = m.evaluate(TrialModel.Split.TEST);
        assertTrue(test.get("accuracy") > 0.9, test.toString());
        assertTrue(test.containsKey("f1_2"), "per-class metrics on test: " + test.keySet());
        Path out = dir.resolve("model");
        m.exportModel(out);
        String report = Files.readString(out.resolve("classification_report.txt"));
        assertTrue(report.contains("macro avg") && report.contains("weighted avg"), report);
        List<String> csv = Files.readAllLines(out.resolve("confusion_matrix.csv"));
        assertEquals(4, csv.size());
        assertTrue(Files.size(out.resolve("confusion_matrix.png")) > 0);
    }

    @Test
    void the_test_metrics_carry_the_majority_class_baseline_computed_from_the_training_labels() throws Exception {
        TextSplits data = GeneratedTitles.load(dir, 300, Map.of("representation", "tfidf"));
        Path labels = genreLabelFile(data);
        TrialModel m = create(TextClassifierFactory.dnn(), data, Map.of("labels", labels.toString(), "hidden", "8"));
        Map<String, Integer> clusterOf = new HashMap<>();
        for (String line : Files.readAllLines(labels).subList(1, Files.readAllLines(labels).size())) {
            String[] c = line.split(",");
            clusterOf.put(c[0], Integer.parseInt(c[1]));
        }
        int[] trainCounts = new int[3];
        for (int row : data.train().rows()) trainCounts[clusterOf.get(data.titles().get(row, Column.SHOW_ID))]++;
        int majority = 0;
        for (int c = 1; c < 3; c++) if (trainCounts[c] > trainCounts[majority]) majority = c;
        int hits = 0;
        for (int row : data.test().rows()) if (clusterOf.get(data.titles().get(row, Column.SHOW_ID)) == majority) hits++;
        double share = (double) hits / data.test().size();
        Map<String, Double> test = m.evaluate(TrialModel.Split.TEST);
        assertEquals(share, test.get("majority_accuracy"), 1e-12);
        double f1 = 2 * share / (share + 1); // precision = share, recall 1 for the majority class, 0 for the others
        assertEquals(f1 / 3, test.get("majority_macro_f1"), 1e-12, "macro over the three classes present");
        assertTrue(!m.evaluate(TrialModel.Split.VALIDATION).containsKey("majority_accuracy"), "a test-only number");
    }

    @Test
    void an_lstm_over_word_indices_lowers_its_training_loss() throws Exception {
        TextSplits data = GeneratedTitles.load(dir, 200, Map.of("maxlen", 16, "scale", false));
        TrialModel m = create(TextClassifierFactory.lstm(), data, Map.of("labels", genreLabelFile(data).toString(),
                "units", "8", "embedding_dim", 8, "batch_size", 32, "lr", 0.05));
        double first = m.trainEpoch(1);
        double last = first;
        for (int e = 2; e <= 6; e++) last = m.trainEpoch(e);
        assertTrue(last < first, first + " -> " + last);
        assertTrue(Double.isFinite(m.evaluate(TrialModel.Split.VALIDATION).get("loss")));
    }

    /** The text DNN trains with CineLab's dense trainer by default and takes the steps DL4J's fit takes (dropout masks included). */
    @Test
    void the_dense_network_trains_with_cinelabs_trainer_to_dl4js_losses() throws Exception {
        TextSplits data = GeneratedTitles.load(dir, 200, Map.of("maxlen", 16));
        Map<String, Object> p = new HashMap<>(Map.of("labels", genreLabelFile(data).toString(), "hidden", "16,8", "batch_size", 32,
                "lr", 0.01, "dropout", 0.2));
        TrialModel cinelab = create(TextClassifierFactory.dnn(), data, p);
        p.put("engine", "dl4j");
        TrialModel dl4j = create(TextClassifierFactory.dnn(), data, p);
        assertEquals(Map.of("cinelab.trainer", "cinelab"), cinelab.tags());
        assertEquals(Map.of("cinelab.trainer", "dl4j fit: engine: dl4j"), dl4j.tags());
        for (int e = 1; e <= 3; e++) {
            double expected = dl4j.trainEpoch(e), actual = cinelab.trainEpoch(e);
            assertEquals(expected, actual, 1e-4 * expected, "epoch " + e);
        }
        assertEquals(dl4j.evaluate(TrialModel.Split.VALIDATION).get("loss"), cinelab.evaluate(TrialModel.Split.VALIDATION).get("loss"), 1e-4);
    }

    /** CineLab's fused layers and DL4J's start from the same weights and drop the same units: the losses agree to float rounding. */
    @Test
    void the_cinelab_and_dl4j_lstm_layers_train_to_the_same_losses_and_share_checkpoints() throws Exception {
        TextSplits data = GeneratedTitles.load(dir, 200, Map.of("maxlen", 16, "scale", false));
        Map<String, Object> p = new HashMap<>(Map.of("labels", genreLabelFile(data).toString(), "units", "8,6", "embedding_dim", 8,
                "batch_size", 32, "lr", 0.05, "dropout", 0.2));
        p.put("lstm_impl", "dl4j");
        TrialModel dl4j = create(TextClassifierFactory.lstm(), data, p);
        p.put("lstm_impl", "cinelab");
        TrialModel cinelab = create(TextClassifierFactory.lstm(), data, p);
        assertEquals(Map.of("cinelab.trainer", "dl4j fit: lstm_impl: dl4j"), dl4j.tags());
        assertEquals(Map.of("cinelab.trainer", "cinelab"), cinelab.tags(), "CineLab's layers train with CineLab's trainer");
        for (int e = 1; e <= 3; e++) {
            double expected = dl4j.trainEpoch(e), actual = cinelab.trainEpoch(e);
            assertEquals(expected, actual, 1e-4 * expected, "epoch " + e);
        }
        assertEquals(dl4j.evaluate(TrialModel.Split.VALIDATION).get("loss"), cinelab.evaluate(TrialModel.Split.VALIDATION).get("loss"), 1e-4);
        java.io.ByteArrayOutputStream bytes = new java.io.ByteArrayOutputStream();
        dl4j.saveCheckpoint(new java.io.DataOutputStream(bytes));
        TrialModel resumed = create(TextClassifierFactory.lstm(), data, p);
        resumed.loadCheckpoint(new java.io.DataInputStream(new java.io.ByteArrayInputStream(bytes.toByteArray())));
        assertEquals(dl4j.evaluate(TrialModel.Split.TEST).get("loss"), resumed.evaluate(TrialModel.Split.TEST).get("loss"), 1e-5,
                "a checkpoint of the DL4J layers loads into the CineLab ones");
    }

    @Test
    void scaled_sequences_into_an_embedding_are_refused_with_the_setting_to_change() throws Exception {
        TextSplits data = GeneratedTitles.load(dir, 60, Map.of("maxlen", 16));
        Path labels = genreLabelFile(data);
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> create(TextClassifierFactory.lstm(), data, Map.of("labels", labels.toString())));
        assertTrue(e.getMessage().contains("scale: false"), e.getMessage());
    }

    @Test
    void a_dec_run_id_finds_the_label_file_of_its_child_run_in_a_file_store() throws Exception {
        Path root = dir.resolve("mlruns");
        org.cinelab.tracking.MlflowFileStore store = new org.cinelab.tracking.MlflowFileStore(root);
        String exp = store.getOrCreateExperiment("s1-dec", Map.of());
        String parent = store.createRun(exp, "parent", 1_000, Map.of());
        String child = labelledRun(store, root, exp, 0, 1_001, 4, org.cinelab.tracking.RunStatus.FINISHED, parent);
        ClusterLabels l = ClusterLabels.locate("", parent, root.toString(), 0);
        assertEquals(4, l.of("s1"));
        assertEquals(5, l.classes());
        assertTrue(l.source().contains(child), l.source());
        IllegalArgumentException none = assertThrows(IllegalArgumentException.class, () -> ClusterLabels.locate("", "nosuchrun", root.toString(), 0));
        assertTrue(none.getMessage().contains("no run nosuchrun"), none.getMessage());
    }

    @Test
    void dec_run_latest_is_found_on_a_tracking_server_through_the_tracker() throws Exception {
        try (org.cinelab.tracking.rest.FakeMlflowServer server = org.cinelab.tracking.rest.FakeMlflowServer.started();
             org.cinelab.tracking.Tracker tracker = org.cinelab.tracking.rest.RestTracker.open(server.uri(),
                     Map.of("CINELAB_SPOOL_DIR", dir.resolve("spool").toString()))) {
            String exp = tracker.getOrCreateExperiment("s1-dec", Map.of());
            Path csv = dir.resolve("labels.csv");
            for (int[] run : new int[][] {{11, 1_000, 3}, {11, 2_000, 7}, {12, 3_000, 5}}) {
                String id = tracker.createRun(exp, "t001", run[1], Map.of("cinelab.seed", Integer.toString(run[0])));
                Files.writeString(csv, "show_id,cluster,confidence,title\ns1," + run[2] + ",0.9,x\n");
                tracker.logArtifact(id, "model/" + ClusterLabels.FILE, csv);
                tracker.setRunStatus(id, org.cinelab.tracking.RunStatus.FINISHED, (long) run[1] + 1);
            }
            assertEquals(7, ClusterLabels.locate("", "latest:s1-dec", server.uri(), 11).of("s1"));
            assertEquals(5, ClusterLabels.locate("", "latest:s1-dec", server.uri(), 12).of("s1"));
            assertTrue(server.requests().stream().anyMatch(r -> r.path().contains("runs/search") && r.body().contains("cinelab.seed")),
                    "the seed filter is sent to the server's runs/search");
        }
    }

    @Test
    void latest_experiment_picks_the_newest_finished_run_with_the_trial_seed() throws Exception {
        Path root = dir.resolve("store");
        org.cinelab.tracking.MlflowFileStore store = new org.cinelab.tracking.MlflowFileStore(root);
        String exp = store.getOrCreateExperiment("s1-dec", Map.of());
        labelledRun(store, root, exp, 11, 1_000, 3, org.cinelab.tracking.RunStatus.FINISHED);
        labelledRun(store, root, exp, 11, 2_000, 7, org.cinelab.tracking.RunStatus.FINISHED);  // newer: wins
        labelledRun(store, root, exp, 11, 3_000, 9, org.cinelab.tracking.RunStatus.FAILED);    // not finished
        labelledRun(store, root, exp, 12, 4_000, 5, org.cinelab.tracking.RunStatus.FINISHED);  // other seed
        String uri = root.toString();
        assertEquals(7, ClusterLabels.locate("", "latest:s1-dec", uri, 11).of("s1"));
        assertEquals(5, ClusterLabels.locate("", "latest:s1-dec", uri, 12).of("s1"));
        IllegalArgumentException noSeed = assertThrows(IllegalArgumentException.class,
                () -> ClusterLabels.locate("", "latest:s1-dec", uri, 13));
        assertTrue(noSeed.getMessage().contains("trial seed 13"), noSeed.getMessage());
        IllegalArgumentException noExp = assertThrows(IllegalArgumentException.class,
                () -> ClusterLabels.locate("", "latest:s1-decc", uri, 11));
        assertTrue(noExp.getMessage().contains("no experiment 's1-decc'"), noExp.getMessage());
    }

    private static void labelledRun(org.cinelab.tracking.MlflowFileStore store, Path root, String exp, long seed, long start,
                                    int cluster, org.cinelab.tracking.RunStatus status) throws Exception {
        labelledRun(store, root, exp, seed, start, cluster, status, null);
    }

    private static String labelledRun(org.cinelab.tracking.MlflowFileStore store, Path root, String exp, long seed, long start,
                                      int cluster, org.cinelab.tracking.RunStatus status, String parent) throws Exception {
        Map<String, String> tags = new java.util.HashMap<>(Map.of("cinelab.seed", Long.toString(seed)));
        if (parent != null) tags.put("mlflow.parentRunId", parent);
        String run = store.createRun(exp, "t001", start, tags);
        Path csv = Files.createTempFile(root, "labels", ".csv");
        Files.writeString(csv, "show_id,cluster,confidence,title\ns1," + cluster + ",0.9,x\n");
        store.logArtifact(run, "model/" + ClusterLabels.FILE, csv);
        store.setRunStatus(run, status, start + 1);
        return run;
    }
}
