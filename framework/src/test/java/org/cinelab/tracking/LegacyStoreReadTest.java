package org.cinelab.tracking;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Stores written by other MLflow versions or by hand: the variations the reader must tolerate. */
class LegacyStoreReadTest {
    private static final String EXP = "12";
    private static final String RUN = "aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa";

    @TempDir
    Path root;

    @Test
    void bare_int_ids_missing_status_and_lifecycle_and_run_uuid_only_are_read() throws IOException {
        write(EXP + "/meta.yaml", """
                artifact_location: file:///old/mlruns/12
                experiment_id: 12
                name: legacy
                """);
        write(EXP + "/" + RUN + "/meta.yaml", """
                artifact_uri: file:///old/mlruns/12/%s/artifacts
                end_time: null
                experiment_id: 12
                run_uuid: %s
                start_time: 1500000000000
                user_id: bob
                """.formatted(RUN, RUN));
        write(EXP + "/" + RUN + "/tags/mlflow.runName", "from-tag");
        MlflowFileStore store = new MlflowFileStore(root);

        ExperimentInfo experiment = store.findExperimentByName("legacy").orElseThrow();
        assertEquals(EXP, experiment.experimentId());
        assertEquals("active", experiment.lifecycleStage());
        assertEquals(null, experiment.creationTimeMs());
        RunInfo run = store.getRun(RUN).orElseThrow();
        assertEquals(new RunInfo(RUN, EXP, "from-tag", "bob", RunStatus.RUNNING, 1_500_000_000_000L, null,
                "file:///old/mlruns/12/" + RUN + "/artifacts", "active"), run);
        assertEquals(List.of(run), store.listRuns(EXP));
    }

    @Test
    void metric_lines_with_two_three_or_five_fields_and_any_float_spelling_are_read() throws IOException {
        writeRun();
        write(EXP + "/" + RUN + "/metrics/loss", """
                100 0.5
                101 nan 1
                102 NaN 2
                103 inf 3
                104 Infinity 4
                105 -inf 5
                106 -Infinity 6
                107 1e-07 7
                108 1.0E-7 8
                109 2.5 9 eval_ds 3f2a1b
                """);
        List<MetricPoint> points = new MlflowFileStore(root).getMetricHistory(RUN, "loss");
        assertEquals(new MetricPoint("loss", 0.5, 0, 100), points.get(0));
        assertTrue(Double.isNaN(points.get(1).value()) && Double.isNaN(points.get(2).value()));
        assertEquals(Double.POSITIVE_INFINITY, points.get(3).value());
        assertEquals(Double.POSITIVE_INFINITY, points.get(4).value());
        assertEquals(Double.NEGATIVE_INFINITY, points.get(5).value());
        assertEquals(Double.NEGATIVE_INFINITY, points.get(6).value());
        assertEquals(1e-7, points.get(7).value());
        assertEquals(1e-7, points.get(8).value());
        assertEquals(new MetricPoint("loss", 2.5, 9, 109), points.get(9));
    }

    @Test
    void a_malformed_metric_line_is_reported_with_file_and_line_number() throws IOException {
        writeRun();
        write(EXP + "/" + RUN + "/metrics/loss", "100 0.5 0\n101 0.4 1 extra\n");
        IOException e = assertThrows(IOException.class, () -> new MlflowFileStore(root).getMetricHistory(RUN, "loss"));
        assertTrue(e.getMessage().contains("loss:2:") && e.getMessage().contains("4 fields"), e.getMessage());
    }

    @Test
    void statuses_written_as_names_are_read_too() throws IOException {
        writeRun();
        Path meta = root.resolve(EXP).resolve(RUN).resolve("meta.yaml");
        Files.writeString(meta, Files.readString(meta) + "status: FINISHED\n");
        assertEquals(RunStatus.FINISHED, new MlflowFileStore(root).getRun(RUN).orElseThrow().status());
    }

    @Test
    void malformed_run_and_experiment_directories_are_skipped_like_mlflow_skips_them() throws IOException {
        writeRun();
        Files.createDirectories(root.resolve(EXP).resolve("not-a-run"));
        write(EXP + "/bbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbb/meta.yaml", """
                experiment_id: '99'
                run_id: bbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbb
                start_time: 1
                end_time: null
                user_id: ''
                """);
        write(EXP + "/cccccccccccccccccccccccccccccccc/meta.yaml", "status: [unclosed\n");
        write(EXP + "/dddddddddddddddddddddddddddddddd/meta.yaml", "");
        write(EXP + "/tags/mlflow.note.content", "description");
        write(EXP + "/datasets/abc/meta.yaml", "name: iris\n");
        Files.createDirectories(root.resolve("no-meta-experiment"));
        write("77/meta.yaml", "experiment_id: '78'\nname: mismatched\n");
        MlflowFileStore store = new MlflowFileStore(root);

        assertEquals(List.of(RUN), store.listRuns(EXP).stream().map(RunInfo::runId).toList());
        assertEquals(Set.of("0", EXP),
                store.listExperiments().stream().map(ExperimentInfo::experimentId).collect(Collectors.toSet()));
        assertTrue(store.findExperimentByName("mismatched").isEmpty());
    }

    @Test
    void deleted_runs_are_not_listed_but_can_still_be_read() throws IOException {
        writeRun();
        Path meta = root.resolve(EXP).resolve(RUN).resolve("meta.yaml");
        Files.writeString(meta, Files.readString(meta) + "lifecycle_stage: deleted\ndeleted_time: 5\n");
        MlflowFileStore store = new MlflowFileStore(root);
        assertEquals(List.of(), store.listRuns(EXP));
        assertEquals("deleted", store.getRun(RUN).orElseThrow().lifecycleStage());
        store.setRunStatus(RUN, RunStatus.KILLED, 9L);
        assertTrue(Files.readString(meta).contains("deleted_time: 5\n"), "rewrites keep deleted_time");
    }

    @Test
    void params_and_tags_with_nested_keys_and_no_trailing_newline_are_read_verbatim() throws IOException {
        writeRun();
        write(EXP + "/" + RUN + "/params/model/factors", "32");
        write(EXP + "/" + RUN + "/params/lr", "0.01");
        write(EXP + "/" + RUN + "/tags/note", "two\nlines\n");
        MlflowFileStore store = new MlflowFileStore(root);
        assertEquals(Map.of("model/factors", "32", "lr", "0.01"), store.getParams(RUN));
        assertEquals("two\nlines\n", store.getTags(RUN).get("note"));
    }

    private void writeRun() throws IOException {
        write(EXP + "/meta.yaml", "experiment_id: '12'\nname: legacy\nlifecycle_stage: active\n");
        write(EXP + "/" + RUN + "/meta.yaml", """
                experiment_id: '12'
                run_id: %s
                run_name: r
                start_time: 1
                end_time: null
                user_id: ''
                """.formatted(RUN));
    }

    private void write(String relative, String content) throws IOException {
        Path file = root.resolve(relative);
        Files.createDirectories(file.getParent());
        Files.writeString(file, content);
    }
}
