package org.cinelab.cli;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;

import static org.junit.jupiter.api.Assertions.*;

class ReportCommandTest {
    private static final String DEFINITION = """
            title: Empty store
            rows:
              - {label: MF, experiment: quickstart, spec: experiments/quickstart.yaml, metric: best_test_rmse, paper: 0.934, direction: lower}
            """;

    @Test
    void anEmptyStoreGivesANotRunTableAndPrintsTheCommands(@TempDir Path tmp) throws Exception {
        Path defs = Files.createDirectories(tmp.resolve("reports"));
        Files.writeString(defs.resolve("quick.yaml"), DEFINITION);
        CliTest.Outcome o = CliTest.run("report", "--tracking-uri", tmp.resolve("mlruns").toString(),
                "--reports", defs.toString(), "--out", tmp.resolve("results").toString());
        assertEquals(0, o.exit(), o.err());
        assertTrue(o.out().contains("1 row(s), 1 not run yet, 0 with runs not available"), o.out());
        assertTrue(o.out().contains("for N in 1 2 3; do ./cinelab run experiments/quickstart.yaml --seed $N; done"), o.out());
        assertTrue(Files.readString(tmp.resolve("results/quick.md")).contains("| MF | best_test_rmse ↓ | 0.934 | — | not run yet | 0/3 | — | — |"));
        assertTrue(Files.isRegularFile(tmp.resolve("results/runs/quick.jsonl")), "the (empty) run ledger is written beside the table");
    }

    @Test
    void checkRecomputesTheCommittedTableAndExitsOneNamingTheTamperedCell(@TempDir Path tmp) throws Exception {
        Path defs = Files.createDirectories(tmp.resolve("reports"));
        Files.writeString(defs.resolve("quick.yaml"), DEFINITION);
        try (org.cinelab.tracking.MlflowFileStore t = new org.cinelab.tracking.MlflowFileStore(tmp.resolve("mlruns"))) {
            String exp = t.getOrCreateExperiment("quickstart", java.util.Map.of());
            for (int seed = 1; seed <= 3; seed++) {
                String run = t.createRun(exp, "quickstart", seed, java.util.Map.of("cinelab.seed", Integer.toString(seed)));
                t.logMetrics(run, java.util.List.of(new org.cinelab.tracking.MetricPoint("best_test_rmse", 0.93 + seed / 1000.0, 0, 1)));
                t.setRunStatus(run, org.cinelab.tracking.RunStatus.FINISHED, seed + 1L);
            }
        }
        String results = tmp.resolve("results").toString();
        assertEquals(0, CliTest.run("report", "--tracking-uri", tmp.resolve("mlruns").toString(), "--reports", defs.toString(),
                "--out", results).exit());
        CliTest.Outcome ok = CliTest.run("report", "--check", "--reports", defs.toString(), "--out", results);
        assertEquals(0, ok.exit(), ok.out() + ok.err());
        assertTrue(ok.out().contains("OK   " + results + "/quick.md: 1 cell(s) recomputed from 3 run(s)"), ok.out());

        Path md = tmp.resolve("results/quick.md");
        Files.writeString(md, Files.readString(md).replace("0.9320 ± 0.0010", "0.9100 ± 0.0010"));
        CliTest.Outcome bad = CliTest.run("report", "--check", "--reports", defs.toString(), "--out", results);
        assertEquals(1, bad.exit(), bad.out());
        assertTrue(bad.out().contains("FAIL " + results + "/quick.md"), bad.out());
        assertTrue(bad.out().contains("differs: " + results + "/quick.md: table row 'MF' / 'best_test_rmse ↓', column 'Ours (mean ± sd)': "
                + "committed '0.9100 ± 0.0010', recomputed '0.9320 ± 0.0010'"), bad.out());
    }

    @Test
    void anUnknownReportNameIsBadInputListingTheAvailableOnes(@TempDir Path tmp) throws Exception {
        Path defs = Files.createDirectories(tmp.resolve("reports"));
        Files.writeString(defs.resolve("quick.yaml"), DEFINITION);
        CliTest.Outcome o = CliTest.run("report", "--reports", defs.toString(), "--tracking-uri", tmp.resolve("m").toString(), "s2");
        assertEquals(Main.EXIT_BAD_INPUT, o.exit());
        assertTrue(o.err().contains("no report named 's2'") && o.err().contains("[quick]"), o.err());
    }

    @Test
    void aBrokenDefinitionIsBadInputNamingFileLineAndField(@TempDir Path tmp) throws Exception {
        Path defs = Files.createDirectories(tmp.resolve("reports"));
        Files.writeString(defs.resolve("quick.yaml"), DEFINITION.replace("direction: lower", "direction: sideways"));
        CliTest.Outcome o = CliTest.run("report", "--reports", defs.toString(), "--tracking-uri", tmp.resolve("m").toString());
        assertEquals(Main.EXIT_BAD_INPUT, o.exit());
        assertTrue(o.err().contains("quick.yaml:3: field 'rows[0].direction': 'sideways'"), o.err());
    }
}
