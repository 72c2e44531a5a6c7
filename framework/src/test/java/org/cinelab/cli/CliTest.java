package org.cinelab.cli;

import org.cinelab.data.sets.SyntheticMovieLens;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import static org.junit.jupiter.api.Assertions.*;

/** The commands as a user types them: output, exit codes, and nothing written on bad input. */
class CliTest {
    @TempDir Path tmp;

    record Outcome(int exit, String out, String err) {}

    static Outcome run(String... args) {
        CommandLine cl = Main.commandLine();
        StringWriter out = new StringWriter(), err = new StringWriter();
        cl.setOut(new PrintWriter(out, true));
        cl.setErr(new PrintWriter(err, true));
        int exit = cl.execute(args);
        return new Outcome(exit, out.toString(), err.toString());
    }

    static final String SPEC = """
            experiment: {name: cli-test}
            seed: 3
            dataset: {name: movielens-100k, split: u1}
            model: {type: biased-mf, params: {factors: 4}}
            search: {sampler: random, scheduler: hyperband, max_epochs: 81, eta: 3}
            space:
              lr: {loguniform: [0.001, 0.01]}
            """;

    private Path write(String name, String text) throws Exception {
        Path p = tmp.resolve(name);
        Files.writeString(p, text);
        return p;
    }

    @Test
    void validateAcceptsAGoodSpecAndSaysWhatItWillDo() throws Exception {
        Outcome o = run("validate", write("ok.yaml", SPEC).toString());
        assertEquals(0, o.exit(), o.err());
        assertTrue(o.out().contains("valid (model biased-mf on movielens-100k/u1; 143 trials, 1581 epochs planned)"), o.out());
    }

    @Test
    void validateRejectsABadSpecWithLocatedMessagesAndExitCode2() throws Exception {
        Path bad = write("bad.yaml", SPEC.replace("eta: 3", "eta: 1").replace("{factors: 4}", "{factor: 4}"));
        Outcome o = run("validate", bad.toString());
        assertEquals(2, o.exit());
        assertTrue(o.err().startsWith("error: invalid spec (2 problems):"), o.err());
        assertTrue(o.err().contains(bad + ":5:70: search.eta: expected an integer >= 2, got 1"), o.err());
        assertTrue(o.err().contains("search.eta"), o.err());
        assertTrue(o.err().contains(bad + ":4:35: model.params.factor: biased-mf has no hyperparameter 'factor'; did you mean 'factors'?"), o.err());
    }

    @Test
    void planPrintsTheHyperbandBracketsOfTable1OfLiEtAl() throws Exception {
        Outcome o = run("plan", write("plan.yaml", SPEC).toString());
        assertEquals(0, o.exit(), o.err());
        String[][] table1 = {{"4", "81", "1"}, {"4", "27", "3"}, {"4", "9", "9"}, {"4", "3", "27"}, {"4", "1", "81"},
                {"3", "34", "3"}, {"3", "11", "9"}, {"3", "3", "27"}, {"3", "1", "81"},
                {"2", "15", "9"}, {"2", "5", "27"}, {"2", "1", "81"}, {"1", "8", "27"}, {"1", "2", "81"}, {"0", "5", "81"}};
        for (String[] row : table1) {
            assertTrue(o.out().matches("(?s).*\\n" + row[0] + "\\s+\\d\\s+" + row[1] + "\\s+" + row[2] + "\\n.*"),
                    "bracket " + String.join(",", row) + " in\n" + o.out());
        }
        assertTrue(o.out().contains("t143"), o.out());
    }

    @Test
    void runRejectsABadSpecBeforeWritingAnything() throws Exception {
        Path bad = write("bad.yaml", SPEC.replace("biased-mf", "biased-nf"));
        Path mlruns = tmp.resolve("mlruns");
        Outcome o = run("run", bad.toString(), "--tracking-uri", mlruns.toString());
        assertEquals(2, o.exit());
        assertTrue(o.err().contains("model.type: unknown model 'biased-nf'"), o.err());
        assertFalse(Files.exists(mlruns));
    }

    @Test
    void runRefusesTrackingUrisThatAreNotSupported() throws Exception {
        Outcome o = run("run", write("ok.yaml", SPEC).toString(), "--tracking-uri", "postgresql://u@h/mlflow");
        assertEquals(2, o.exit());
        assertTrue(o.err().contains("is not supported"), o.err());
    }

    @Test
    void resumeWithNothingToResumeIsBadInput() throws Exception {
        Outcome o = run("run", write("ok.yaml", SPEC).toString(), "--resume", "--state-dir", tmp.resolve("none").toString(),
                "--tracking-uri", tmp.resolve("mlruns").toString());
        assertEquals(2, o.exit());
        assertTrue(o.err().contains("nothing to resume"), o.err());
    }

    @Test
    void runTrainsLogsAndPrintsASummarySortedByTheObjective() throws Exception {
        Path data = tmp.resolve("data");
        SyntheticMovieLens.write(data, 5000, 1000, 1);
        Path spec = write("run.yaml", SPEC.replace("max_epochs: 81", "max_epochs: 3"));
        Outcome o = run("run", spec.toString(), "--tracking-uri", tmp.resolve("mlruns").toString(),
                "--data-dir", data.toString(), "--state-dir", tmp.resolve("state").toString(), "--parallel", "2");
        assertEquals(0, o.exit(), o.err());
        assertTrue(o.out().contains("Trials by val_rmse"), o.out());
        assertTrue(o.out().matches("(?s).*Best trial t\\d{3} \\(run [0-9a-f]{32}\\): val_rmse=\\d\\.\\d{4}  test_rmse=\\d\\.\\d{4}  test_mae=\\d\\.\\d{4}.*"), o.out());
        assertTrue(o.out().contains("Logged to MLflow file store"), o.out());
    }

    @Test
    void runWithOnErrorSkipPrintsAndLogsHowManyLinesWereSkipped() throws Exception {
        Path data = tmp.resolve("data");
        Path folder = SyntheticMovieLens.write(data, 3000, 500, 2);
        Files.writeString(folder.resolve("u1.base"), "1\t2\tfive\t874965758\n3\t4\n", java.nio.file.StandardOpenOption.APPEND);
        Path spec = write("skip.yaml", """
                experiment: {name: skip-test}
                dataset: {name: movielens-100k, split: u1, options: {on_error: skip}}
                model: {type: biased-mf, params: {factors: 4}}
                search: {max_epochs: 1}
                """);
        Path mlruns = tmp.resolve("mlruns");
        Outcome o = run("run", spec.toString(), "--tracking-uri", mlruns.toString(), "--data-dir", data.toString(),
                "--state-dir", tmp.resolve("state").toString());
        assertEquals(0, o.exit(), o.err());
        assertTrue(o.out().contains("movielens-100k: skipped 2 malformed line(s) (on_error: skip), first: u1.base line 3001:"), o.out());
        try (var params = Files.find(mlruns, 4, (p, a) -> p.endsWith("params/dataset.skipped_lines"))) {
            List<Path> found = params.toList();
            assertEquals(2, found.size(), "the parent and the trial's run: " + found);
            for (Path p : found) assertEquals("2", Files.readString(p));
        }
    }

    @Test
    void modelsListsTheZooWithHyperparameters() {
        Outcome o = run("models");
        assertEquals(0, o.exit());
        assertTrue(o.out().contains("biased-mf"), o.out());
        assertTrue(o.out().contains("factors"), o.out());
    }

    @Test
    void anUnknownBenchmarkIsBadInput() {
        Outcome o = run("bench", "no-such-benchmark");
        assertEquals(2, o.exit());
        assertTrue(o.err().contains("unknown benchmark 'no-such-benchmark'"), o.err());
    }
}
