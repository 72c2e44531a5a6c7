package org.cinelab.tracking;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** What the store writes, checked byte for byte against shared/docs/mlflow-file-store.md. */
class MlflowFileStoreWriteTest {
    private static final long T0 = 1_700_000_000_000L;

    @TempDir
    Path dir;
    private Path root;
    private MlflowFileStore store;

    @BeforeEach
    void openStore() throws IOException {
        root = dir.resolve("mlruns");
        store = new MlflowFileStore(root);
        root = store.root();
    }

    @Test
    void a_new_store_has_the_default_experiment_and_an_empty_trash() throws IOException {
        String meta = read(root.resolve("0/meta.yaml"));
        assertEquals("""
                artifact_location: '%s'
                creation_time: <t>
                experiment_id: '0'
                last_update_time: <t>
                lifecycle_stage: 'active'
                name: 'Default'
                """.formatted(FileUris.of(root.resolve("0"))), withoutTimes(meta));
        assertTrue(Files.isDirectory(root.resolve(".trash")));
        try (Stream<Path> trash = Files.list(root.resolve(".trash"))) {
            assertEquals(0, trash.count());
        }
    }

    @Test
    void reopening_a_store_leaves_its_default_experiment_untouched() throws IOException {
        String before = read(root.resolve("0/meta.yaml"));
        new MlflowFileStore(root);
        assertEquals(before, read(root.resolve("0/meta.yaml")));
    }

    @Test
    void an_experiment_meta_yaml_has_sorted_keys_and_every_string_quoted() throws IOException {
        String id = store.getOrCreateExperiment("123", Map.of("mlflow.note.content", "a note\nwith two lines"));
        assertTrue(id.matches("[1-9]\\d{17}"), id);
        assertEquals("""
                artifact_location: '%s'
                creation_time: <t>
                experiment_id: '%s'
                last_update_time: <t>
                lifecycle_stage: 'active'
                name: '123'
                """.formatted(FileUris.of(root.resolve(id)), id), withoutTimes(read(root.resolve(id).resolve("meta.yaml"))));
        assertEquals("a note\nwith two lines", read(root.resolve(id).resolve("tags/mlflow.note.content")));
    }

    @Test
    void names_that_yaml_would_retype_or_that_hold_quotes_survive_a_round_trip() throws IOException {
        for (String name : List.of("true", "null", "1.0", "2024-01-01", "yes", "it's", "say \"hi\"", "tab\there",
                "line\nbreak", "ünï 😀", " padded ")) {
            String id = store.getOrCreateExperiment(name, Map.of());
            JsonNode meta = MetaYaml.read(root.resolve(id).resolve("meta.yaml")).orElseThrow();
            assertTrue(meta.get("name").isTextual(), name);
            assertEquals(name, meta.get("name").textValue());
            assertEquals(id, store.findExperimentByName(name).orElseThrow().experimentId());
        }
        assertTrue(read(root.resolve(store.findExperimentByName("it's").orElseThrow().experimentId())
                .resolve("meta.yaml")).contains("name: 'it''s'\n"));
    }

    @Test
    void get_or_create_returns_the_same_experiment_for_the_same_name() throws IOException {
        String first = store.getOrCreateExperiment("movielens", Map.of("team", "a"));
        String second = store.getOrCreateExperiment("movielens", Map.of());
        assertEquals(first, second);
        assertEquals("0", store.getOrCreateExperiment("Default", Map.of()));
        ExperimentInfo info = store.findExperimentByName("movielens").orElseThrow();
        assertEquals(Map.of("team", "a"), info.tags());
        assertEquals(FileUris.of(root.resolve(first)), info.artifactLocation());
        assertEquals(info, store.getExperiment(first).orElseThrow());
        assertTrue(store.getExperiment("404").isEmpty());
    }

    @Test
    void an_experiment_moved_to_trash_blocks_its_name_with_a_clear_error() throws IOException {
        String id = store.getOrCreateExperiment("old", Map.of());
        Files.move(root.resolve(id), root.resolve(".trash").resolve(id));
        IllegalStateException e = assertThrows(IllegalStateException.class,
                () -> store.getOrCreateExperiment("old", Map.of()));
        assertTrue(e.getMessage().contains("'old'") && e.getMessage().contains("deleted")
                && e.getMessage().contains(id), e.getMessage());
        assertEquals(ExperimentInfo.DELETED, store.findExperimentByName("old").orElseThrow().lifecycleStage());
        assertEquals(ExperimentInfo.DELETED, store.getExperiment(id).orElseThrow().lifecycleStage());
        assertTrue(store.listExperiments().stream().noneMatch(x -> x.name().equals("old")));
    }

    @Test
    void an_experiment_marked_deleted_in_place_blocks_its_name_too() throws IOException {
        String id = store.getOrCreateExperiment("gone", Map.of());
        Path meta = root.resolve(id).resolve("meta.yaml");
        Files.writeString(meta, read(meta).replace("lifecycle_stage: 'active'", "lifecycle_stage: deleted"));
        assertThrows(IllegalStateException.class, () -> store.getOrCreateExperiment("gone", Map.of()));
        assertThrows(IllegalArgumentException.class, () -> store.createRun(id, "r", T0, Map.of()));
    }

    @Test
    void a_run_meta_yaml_has_every_key_mlflow_writes_in_mlflow_order() throws IOException {
        String exp = store.getOrCreateExperiment("e", Map.of());
        String run = store.createRun(exp, "true", T0, Map.of("mlflow.user", "o'brien"));
        assertTrue(run.matches("[0-9a-f]{32}"), run);
        Path runDir = root.resolve(exp).resolve(run);
        assertEquals("""
                artifact_uri: '%1$s/%3$s/artifacts'
                end_time: null
                entry_point_name: ''
                experiment_id: '%2$s'
                lifecycle_stage: 'active'
                run_id: '%3$s'
                run_name: 'true'
                run_uuid: '%3$s'
                source_name: ''
                source_type: 4
                source_version: ''
                start_time: 1700000000000
                status: 1
                tags: []
                user_id: 'o''brien'
                """.formatted(FileUris.of(root.resolve(exp)), exp, run), read(runDir.resolve("meta.yaml")));
        for (String sub : List.of("metrics", "params", "artifacts", "tags")) {
            assertTrue(Files.isDirectory(runDir.resolve(sub)), sub);
        }
        assertEquals("true", read(runDir.resolve("tags/mlflow.runName")));
    }

    @Test
    void without_an_mlflow_user_tag_the_user_id_is_the_system_user() throws IOException {
        String exp = store.getOrCreateExperiment("e", Map.of());
        String run = store.createRun(exp, "r", T0, Map.of());
        assertEquals(System.getProperty("user.name"), store.getRun(run).orElseThrow().userId());
    }

    @Test
    void the_run_name_comes_from_the_argument_the_tag_or_a_random_mlflow_style_name() throws IOException {
        String exp = store.getOrCreateExperiment("e", Map.of());
        String fromTag = store.createRun(exp, null, T0, Map.of("mlflow.runName", "tagged"));
        assertEquals("tagged", store.getRun(fromTag).orElseThrow().runName());
        String random = store.createRun(exp, "", T0, Map.of());
        String name = store.getRun(random).orElseThrow().runName();
        assertTrue(name.matches("[a-z]+-[a-z]+-\\d{1,3}") && name.length() <= 20, name);
        assertEquals(name, store.getTags(random).get("mlflow.runName"));
        assertThrows(IllegalArgumentException.class,
                () -> store.createRun(exp, "one", T0, Map.of("mlflow.runName", "other")));
    }

    @Test
    void setting_the_run_name_tag_rewrites_run_name_in_meta_yaml() throws IOException {
        String exp = store.getOrCreateExperiment("e", Map.of());
        String run = store.createRun(exp, "before", T0, Map.of());
        store.setTags(run, Map.of("mlflow.runName", "after", "phase", "train"));
        assertTrue(read(root.resolve(exp).resolve(run).resolve("meta.yaml")).contains("run_name: 'after'\n"));
        assertEquals("after", store.getRun(run).orElseThrow().runName());
        assertEquals("after", store.getTags(run).get("mlflow.runName"));
    }

    @Test
    void a_parent_with_two_children_is_written_and_read_back_like_mlflow_does() throws IOException {
        String exp = store.getOrCreateExperiment("study", Map.of());
        String parent = store.createRun(exp, "parent", T0, Map.of("mlflow.user", "alice"));
        String child1 = store.createRun(exp, "child-1", T0 + 1, Map.of("mlflow.parentRunId", parent));
        String child2 = store.createRun(exp, "child-2", T0 + 2, Map.of("mlflow.parentRunId", parent));
        store.logParams(child1, Map.of("lr", "0.01", "model/factors", "32", "optimizer.beta.1", "0.9"));
        store.setTags(child1, Map.of("note", "multi\nline ü"));
        store.logMetrics(child1, List.of(
                new MetricPoint("loss", Double.NaN, 0, T0 + 10),
                new MetricPoint("loss", Double.POSITIVE_INFINITY, 1, T0 + 11),
                new MetricPoint("loss", Double.NEGATIVE_INFINITY, 2, T0 + 12),
                new MetricPoint("loss", 1e-7, 3, T0 + 13),
                new MetricPoint("eval/rmse", 0.5, 0, T0 + 14)));
        store.logMetrics(child1, List.of(new MetricPoint("loss", 0.25, 4, T0 + 15)));
        store.setRunStatus(child1, RunStatus.FINISHED, T0 + 100);
        store.setRunStatus(child2, RunStatus.KILLED, T0 + 200);

        Path child1Dir = root.resolve(exp).resolve(child1);
        assertEquals("""
                1700000000010 nan 0
                1700000000011 inf 1
                1700000000012 -inf 2
                1700000000013 1.0E-7 3
                1700000000015 0.25 4
                """, read(child1Dir.resolve("metrics/loss")));
        assertEquals("1700000000014 0.5 0\n", read(child1Dir.resolve("metrics/eval/rmse")));
        assertEquals("32", read(child1Dir.resolve("params/model/factors")));
        assertEquals("0.01", read(child1Dir.resolve("params/lr")));
        assertEquals("0.9", read(child1Dir.resolve("params/optimizer.beta.1")));
        assertEquals(parent, read(child1Dir.resolve("tags/mlflow.parentRunId")));
        assertEquals("multi\nline ü", read(child1Dir.resolve("tags/note")));
        String meta = read(child1Dir.resolve("meta.yaml"));
        assertTrue(meta.contains("\nstatus: 3\n") && meta.contains("end_time: 1700000000100\n"), meta);
        assertTrue(read(root.resolve(exp).resolve(child2).resolve("meta.yaml")).contains("\nstatus: 5\n"));
        assertTrue(read(root.resolve(exp).resolve(parent).resolve("meta.yaml")).contains("\nstatus: 1\n"));

        assertEquals(Set.of(parent, child1, child2),
                store.listRuns(exp).stream().map(RunInfo::runId).collect(Collectors.toSet()));
        RunInfo info = store.getRun(child1).orElseThrow();
        assertEquals(new RunInfo(child1, exp, "child-1", System.getProperty("user.name"), RunStatus.FINISHED,
                T0 + 1, T0 + 100, FileUris.of(root.resolve(exp)) + "/" + child1 + "/artifacts", "active"), info);
        assertEquals("alice", store.getRun(parent).orElseThrow().userId());
        assertEquals(Map.of("lr", "0.01", "model/factors", "32", "optimizer.beta.1", "0.9"), store.getParams(child1));
        assertEquals(parent, store.getTags(child2).get("mlflow.parentRunId"));
        assertEquals(List.of("eval/rmse", "loss"), store.getMetricKeys(child1));
        List<MetricPoint> loss = store.getMetricHistory(child1, "loss");
        assertEquals(5, loss.size());
        assertTrue(Double.isNaN(loss.get(0).value()));
        assertEquals(new MetricPoint("loss", Double.POSITIVE_INFINITY, 1, T0 + 11), loss.get(1));
        assertEquals(new MetricPoint("loss", Double.NEGATIVE_INFINITY, 2, T0 + 12), loss.get(2));
        assertEquals(new MetricPoint("loss", 1e-7, 3, T0 + 13), loss.get(3));
        assertEquals(List.of(), store.getMetricHistory(child2, "loss"));
    }

    @Test
    void a_run_without_points_still_has_metrics_params_and_artifacts_directories() throws IOException {
        String exp = store.getOrCreateExperiment("e", Map.of());
        String run = store.createRun(exp, "empty", T0, Map.of());
        store.setRunStatus(run, RunStatus.FAILED, T0 + 5);
        Path runDir = root.resolve(exp).resolve(run);
        for (String sub : List.of("metrics", "params", "artifacts")) assertTrue(Files.isDirectory(runDir.resolve(sub)));
        assertEquals(List.of(), store.getMetricKeys(run));
        assertEquals(Map.of(), store.getParams(run));
    }

    @Test
    void params_are_immutable_but_the_same_value_may_be_logged_again() throws IOException {
        String run = newRun();
        store.logParams(run, Map.of("lr", "0.01"));
        store.logParams(run, Map.of("lr", "0.01"));
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> store.logParams(run, Map.of("epochs", "3", "lr", "0.1")));
        assertTrue(e.getMessage().contains("'lr'") && e.getMessage().contains("'0.01'")
                && e.getMessage().contains("'0.1'"), e.getMessage());
        assertEquals(Map.of("lr", "0.01"), store.getParams(run), "a refused batch writes nothing");
    }

    @Test
    void over_long_param_and_tag_values_are_truncated_like_mlflow() throws IOException {
        String run = newRun();
        store.logParams(run, Map.of("long", "p".repeat(7000)));
        store.setTags(run, Map.of("long", "t".repeat(9000)));
        assertEquals(6000, store.getParams(run).get("long").length());
        assertEquals(8000, store.getTags(run).get("long").length());
    }

    @Test
    void invalid_keys_are_refused_before_anything_is_written() throws IOException {
        String run = newRun();
        Map<String, String> params = new LinkedHashMap<>();
        params.put("good", "1");
        params.put("bad key!", "2");
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> store.logParams(run, params));
        assertTrue(e.getMessage().contains("'bad key!'"), e.getMessage());
        assertEquals(Map.of(), store.getParams(run));
        assertThrows(IllegalArgumentException.class,
                () -> store.logMetrics(run, List.of(new MetricPoint("../escape", 1, 0, T0))));
        assertThrows(IllegalArgumentException.class, () -> store.setTags(run, Map.of("/abs", "x")));
        assertThrows(IllegalArgumentException.class,
                () -> store.logMetrics(run, List.of(new MetricPoint("loss", 1, 0, -1))));
        assertThrows(IllegalArgumentException.class, () -> store.getOrCreateExperiment("", Map.of()));
    }

    @Test
    void artifacts_are_copied_under_the_run_artifacts_directory(@TempDir Path source) throws IOException {
        String run = newRun();
        Path file = Files.writeString(source.resolve("summary.txt"), "best trial: child-1\n");
        store.logArtifact(run, "reports/summary.txt", file);
        store.logArtifact(run, "model.bin", file);
        Path artifacts = runDir(run).resolve("artifacts");
        assertEquals("best trial: child-1\n", read(artifacts.resolve("reports/summary.txt")));
        assertTrue(Files.isRegularFile(artifacts.resolve("model.bin")));
        for (String bad : List.of("../outside.txt", "a/../../outside.txt", "/etc/passwd", "", "..")) {
            assertThrows(IllegalArgumentException.class, () -> store.logArtifact(run, bad, file), bad);
        }
        assertFalse(Files.exists(runDir(run).resolve("outside.txt")));
    }

    @Test
    void unknown_runs_and_experiments_are_reported_by_id() throws IOException {
        assertTrue(store.getRun("0123456789abcdef0123456789abcdef").isEmpty());
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> store.logParams("0123456789abcdef0123456789abcdef", Map.of("a", "b")));
        assertTrue(e.getMessage().contains("0123456789abcdef0123456789abcdef"), e.getMessage());
        assertThrows(IllegalArgumentException.class, () -> store.createRun("42", "r", T0, Map.of()));
    }

    @Test
    void no_temporary_files_are_left_behind() throws IOException {
        String run = newRun();
        store.logParams(run, Map.of("a", "1"));
        store.setTags(run, Map.of("b", "2", "mlflow.runName", "renamed"));
        store.setRunStatus(run, RunStatus.FINISHED, T0 + 1);
        try (Stream<Path> files = Files.walk(root)) {
            assertEquals(List.of(), files.filter(p -> p.getFileName().toString().startsWith(".cinelab-")
                    && p.getFileName().toString().endsWith(".tmp")).toList());
        }
    }

    private String newRun() throws IOException {
        return store.createRun(store.getOrCreateExperiment("e", Map.of()), "r", T0, Map.of());
    }

    private Path runDir(String runId) throws IOException {
        return root.resolve(store.getRun(runId).orElseThrow().experimentId()).resolve(runId);
    }

    private static String read(Path file) throws IOException {
        return Files.readString(file, StandardCharsets.UTF_8);
    }

    private static String withoutTimes(String meta) {
        return meta.replaceAll("(creation_time|last_update_time): \\d+", "$1: <t>");
    }
}
