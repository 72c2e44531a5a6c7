package org.cinelab.cli;

import org.cinelab.data.sets.SyntheticMovieLens;
import org.cinelab.models.dec.GeneratedTitles;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** ND4J's and DL4J's start-up INFO lines stay out of a run's output unless --verbose asks for them. */
class VerboseLoggingTest {
    @TempDir Path tmp;

    @Test
    void aDeepModelRunIsQuietByDefaultAndVerboseShowsTheLibraryLines() throws Exception {
        SyntheticMovieLens.write(tmp.resolve("data"), 4000, 1000, 7);
        Files.writeString(tmp.resolve("ae.yaml"), """
                experiment: {name: quiet-autorec}
                dataset: {name: movielens-100k, split: u1}
                model: {type: autorec, params: {hidden: "8"}}
                search: {max_epochs: 1}
                """);

        CliProcess.Result quiet = run("ae.yaml", "data", "quiet");
        assertTrue(quiet.output().contains("Best trial t001"), quiet.output());
        assertFalse(quiet.output().contains(" INFO "), "no library INFO lines by default:\n" + quiet.output());

        CliProcess.Result verbose = run("ae.yaml", "data", "verbose", "--verbose");
        assertTrue(verbose.output().contains("INFO org.nd4j.linalg.factory.Nd4jBackend - Loaded [CpuBackend] backend"), verbose.output());
        assertTrue(verbose.output().contains("INFO org.deeplearning4j"), verbose.output());
    }

    @Test
    void nd4jsDuplicateOpMappingWarningsStayOutOfADecRun() throws Exception {
        // DEC's refinement graph loads ND4J's op import table, which warns of its own duplicate
        // TensorFlow op names: nothing a user can act on, so it is shown with --verbose only
        GeneratedTitles.load(tmp.resolve("titles"), 60, Map.of());
        Files.writeString(tmp.resolve("dec.yaml"), """
                experiment: {name: quiet-dec}
                dataset: {name: netflix-titles, split: random}
                model: {type: dec, params: {clusters: 3}}
                search: {max_epochs: 1}
                """);

        CliProcess.Result quiet = run("dec.yaml", "titles", "dec");
        assertFalse(quiet.output().contains("Duplicate TF op mapping"), quiet.output());
        assertFalse(quiet.output().contains(" WARN "), "no library warnings in a clean run:\n" + quiet.output());

        CliProcess.Result verbose = run("dec.yaml", "titles", "dec-verbose", "--verbose");
        assertTrue(verbose.output().contains("Duplicate TF op mapping"), verbose.output());
    }

    /** {@code cinelab run SPEC} into its own store and state directory (named after {@code name}); it must succeed. */
    private CliProcess.Result run(String spec, String dataDir, String name, String... more) throws Exception {
        java.util.List<String> args = new java.util.ArrayList<>(java.util.List.of("run", spec, "--data-dir", dataDir,
                "--tracking-uri", name + "-mlruns", "--state-dir", name + "-state"));
        args.addAll(java.util.List.of(more));
        CliProcess.Result r = CliProcess.run(tmp, Map.of(), args.toArray(String[]::new));
        assertEquals(0, r.exit(), r.output());
        return r;
    }
}
