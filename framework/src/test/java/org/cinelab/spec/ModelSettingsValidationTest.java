package org.cinelab.spec;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertDoesNotThrow;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Free-text model settings (label files, run ids, store folders, feature lists) and the settings
 * that only work together are checked when the spec is loaded, against the live registries: a
 * value that passed before and then failed every trial is now an error at its line.
 */
class ModelSettingsValidationTest {
    @TempDir Path tmp;

    private static List<String> problems(String yaml) {
        return SpecProblems.of(yaml, new SpecLoader(org.cinelab.models.zoo.ModelRegistry.all(), org.cinelab.data.sets.DatasetRegistry.all()));
    }

    private static final String CLASSIFIER = """
            experiment: {name: classifier}
            dataset: {name: netflix-titles}
            model:
              type: text-dnn
              params:
            %s
            search: {max_epochs: 1}
            """;

    @Test
    void aLabelFileThatDoesNotExistIsAnErrorAtItsValue() {
        List<String> p = problems(CLASSIFIER.formatted("    labels: ../../x.csv"));
        assertEquals(1, p.size(), p.toString());
        assertTrue(p.get(0).startsWith("spec.yaml:6:13: model.params.labels: expected an existing cluster_labels.csv file"
                + " (a relative path starts at the working directory "), p.get(0));
        assertTrue(p.get(0).endsWith("), or \"\" to use dec_run, got '../../x.csv'"), p.get(0));
    }

    @Test
    void anExistingLabelFileIsAccepted() throws Exception {
        Path labels = Files.writeString(tmp.resolve("cluster_labels.csv"), "show_id,cluster,confidence,title\n");
        assertDoesNotThrow(() -> SpecLoader.loadString(CLASSIFIER.formatted("    labels: " + labels), SpecProblems.FILE));
    }

    @Test
    void aRunIdThatIsNeitherAnIdNorLatestIsAnError() {
        assertEquals(List.of("spec.yaml:6:14: model.params.dec_run: expected a run id (32 lowercase hexadecimal digits, as"
                        + " cinelab run prints it), latest:EXPERIMENT, or \"\" to use labels, got 'my-dec-run'"),
                problems(CLASSIFIER.formatted("    dec_run: my-dec-run")));
        assertEquals(1, problems(CLASSIFIER.formatted("    dec_run: \"latest:\"")).size());
        assertDoesNotThrow(() -> SpecLoader.loadString(CLASSIFIER.formatted("    dec_run: 0123456789abcdef0123456789abcdef"), SpecProblems.FILE));
        assertDoesNotThrow(() -> SpecLoader.loadString(CLASSIFIER.formatted("    dec_run: latest:s1-dec"), SpecProblems.FILE));
    }

    @Test
    void aTrackingDirectoryMustBeAStoreOrAServer() {
        assertEquals(List.of("spec.yaml:7:19: model.params.tracking_dir: expected the MLflow store the clustering run logged to:"
                        + " a directory such as mlruns or /tmp/x/mlruns, a file: URI, or an http(s):// tracking server, got 'ftp://x/y'"),
                problems(CLASSIFIER.formatted("    dec_run: latest:s1-dec\n    tracking_dir: ftp://x/y")));
    }

    @Test
    void aClassifierWithNeitherLabelsNorARunIsAnError() {
        assertEquals(List.of("spec.yaml:5:3: model.params.dec_run: text-dnn trains on the clusters of a dec or text-kmeans run:"
                        + " set labels (its cluster_labels.csv) or dec_run (its run id, or latest:EXPERIMENT); both are empty"),
                problems(CLASSIFIER.formatted("    lr: 0.001")));
    }

    @Test
    void anLstmNeedsUnscaledWordSequences() {
        String lstm = """
                experiment: {name: lstm}
                dataset: {name: netflix-titles, options: {representation: %s}}
                model: {type: text-lstm, params: {dec_run: "latest:s1-dec"}}
                search: {max_epochs: 1}
                """;
        assertEquals(List.of("spec.yaml:2:43: dataset.options.representation: text-lstm reads word sequences: set"
                + " dataset.options.representation: sequences (it is tfidf)"), problems(lstm.formatted("tfidf")));
        assertEquals(List.of("spec.yaml:2:33: dataset.options.scale: text-lstm's input: embedding reads word indices, which"
                + " scaling turns into fractions: set dataset.options.scale: false (or model.params.input: scalar)"),
                problems(lstm.formatted("sequences")));
        assertDoesNotThrow(() -> SpecLoader.loadString(lstm.formatted("sequences, scale: false"), SpecProblems.FILE));
    }

    private static final String TOWERS = """
            experiment: {name: towers}
            dataset: {name: movielens-100k, options: {features: %s}}
            model: {type: two-tower, params: {user_features: "%s"}}
            search: {max_epochs: 1}
            """;

    @Test
    void featureListsAreCheckedNameByName() {
        assertEquals(List.of("spec.yaml:3:50: model.params.user_features: expected names from age, gender, occupation, zip,"
                + " comma-separated, each at most once (\"\" = id only), got 'age,agee'"), problems(TOWERS.formatted("true", "age,agee")));
        assertEquals(1, problems(TOWERS.formatted("true", "age,age")).size());
        assertDoesNotThrow(() -> SpecLoader.loadString(TOWERS.formatted("true", "age, gender"), SpecProblems.FILE));
    }

    @Test
    void featureTowersNeedDataLoadedWithFeatures() {
        assertEquals(List.of("spec.yaml:3:35: model.params.user_features: user_features 'age' needs the users' and movies'"
                + " features: set dataset.options.features: true (movielens-100k), or leave it empty for ids only"),
                problems(TOWERS.formatted("false", "age")));
    }

    @Test
    void searchedFeatureListsAreCheckedToo() {
        List<String> p = problems("""
                experiment: {name: towers}
                dataset: {name: movielens-100k, options: {features: true}}
                model: {type: two-tower}
                search: {max_epochs: 1}
                space:
                  user_features: ["age", "agee"]
                """);
        assertEquals(1, p.size(), p.toString());
        assertTrue(p.get(0).startsWith("spec.yaml:6:"), p.get(0));
        assertTrue(p.get(0).contains("got 'agee'"), p.get(0));
    }
}
