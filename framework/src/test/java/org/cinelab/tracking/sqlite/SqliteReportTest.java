package org.cinelab.tracking.sqlite;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.io.Writer;
import java.nio.file.Files;
import java.nio.file.Path;
import org.cinelab.cli.Main;
import org.cinelab.data.sets.SyntheticMovieLens;
import org.cinelab.runner.ExperimentRunner;
import org.cinelab.runner.RunOptions;
import org.cinelab.spec.ExperimentSpec;
import org.cinelab.spec.SpecLoader;
import org.cinelab.tracking.Tracker;
import org.cinelab.tracking.factory.TrackerFactory;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

/**
 * {@code cinelab report} reads a SQLite database as it reads a file store: the runner logs two
 * seeds into each, and both give the same table (but for run ids), the published number read from
 * the logged {@code spec.yaml} artifact included.
 */
class SqliteReportTest {
    private static final String SPEC = """
            experiment:
              name: report-test
              description: generated data
            seed: 7
            dataset:
              name: movielens-100k
              split: u1
            model:
              type: biased-mf
              params: {factors: 4}
            search:
              sampler: grid
              scheduler: none
              max_epochs: 2
            space:
              lr: [0.003, 0.01]
            objective: {metric: rmse, mode: min}
            paper:
              test_rmse: 0.95
            """;

    private static final String DEFINITION = """
            title: "A study"
            seeds: [1, 2]
            rows:
              - {label: MF best trial, experiment: report-test, spec: experiments/report-test.yaml, metric: best_test_rmse, paper: 0.934, direction: lower}
              - label: MF at lr 0.01
                experiment: report-test
                spec: experiments/report-test.yaml
                metrics:
                  - {label: test RMSE, metric: test_rmse, run: child, where: {lr: 1e-2}, paper: "spec:test_rmse", direction: lower}
            """;

    @Test
    void a_report_from_a_sqlite_database_equals_the_one_from_a_file_store(@TempDir Path tmp) throws Exception {
        Path data = tmp.resolve("data");
        SyntheticMovieLens.write(data, 3000, 800, 5);
        Path specFile = Files.writeString(tmp.resolve("report-test.yaml"), SPEC);
        Path defs = Files.createDirectories(tmp.resolve("reports"));
        Files.writeString(defs.resolve("study.yaml"), DEFINITION);

        String fileStore = tmp.resolve("mlruns").toString();
        String database = "sqlite:///" + tmp.resolve("db/mlflow.db");
        for (String uri : new String[] {fileStore, database}) {
            try (Tracker tracker = TrackerFactory.open(uri)) {
                for (long seed : new long[] {1, 2}) {
                    ExperimentSpec spec = SpecLoader.load(specFile).withSeed(seed);
                    new ExperimentRunner(spec, tracker, new RunOptions(1, false, data, tmp.resolve("state-" + uri.hashCode() + "-" + seed),
                            new PrintWriter(Writer.nullWriter()))).run();
                }
            }
        }
        String fromFiles = report(fileStore, defs, tmp.resolve("out-files"));
        String fromDatabase = report(database, defs, tmp.resolve("out-db"));
        assertTrue(fromDatabase.contains("| 2/2 |") && fromDatabase.contains("| 0.95 |"), fromDatabase);
        assertEquals(fromFiles.replaceAll("[0-9a-f]{32}", "<run id>"), fromDatabase.replaceAll("[0-9a-f]{32}", "<run id>"),
                "the same table; only the run ids differ");
    }

    private static String report(String uri, Path defs, Path out) throws Exception {
        CommandLine cl = Main.commandLine();
        StringWriter text = new StringWriter();
        cl.setOut(new PrintWriter(text));
        cl.setErr(new PrintWriter(text));
        int exit = cl.execute("report", "--tracking-uri", uri, "--reports", defs.toString(), "--out", out.toString());
        assertEquals(0, exit, text.toString());
        return Files.readString(out.resolve("study.md"));
    }
}
