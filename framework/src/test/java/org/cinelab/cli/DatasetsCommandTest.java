package org.cinelab.cli;

import org.cinelab.testing.SharedData;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;

import static org.junit.jupiter.api.Assertions.*;

class DatasetsCommandTest {
    @TempDir Path tmp;

    private record Outcome(int exit, String out, String err) {}

    private static Outcome run(String... args) {
        CommandLine cl = Main.commandLine();
        StringWriter out = new StringWriter(), err = new StringWriter();
        cl.setOut(new PrintWriter(out));
        cl.setErr(new PrintWriter(err));
        int exit = cl.execute(args);
        return new Outcome(exit, out.toString(), err.toString());
    }

    private static Path shared() {
        Path shared = SharedData.find();
        SharedData.assumePresent(shared != null, SharedData.SKIP);
        return shared;
    }

    @Test
    void list_shows_every_dataset_and_which_are_installed() {
        Outcome o = run("datasets", "list", "--data-dir", shared().toString());
        assertEquals(0, o.exit(), o.err());
        assertTrue(o.out().matches("(?s).*movielens-100k\\s+ml-100k/\\s+fetch\\s+installed.*"), o.out());
        assertTrue(o.out().matches("(?s).*movielens-1m\\s+ml-1m/\\s+fetch\\s+missing.*"), o.out());
        assertTrue(o.out().matches("(?s).*netflix-prize\\s+netflix-prize/\\s+import\\s+missing.*"), o.out());
    }

    @Test
    void info_prints_users_items_ratings_sparsity_histogram_and_time_span() {
        Outcome o = run("datasets", "info", "movielens-latest-small", "--data-dir", shared().toString());
        assertEquals(0, o.exit(), o.err());
        assertTrue(o.out().contains("users     610"), o.out());
        assertTrue(o.out().contains("items     9,724"), o.out());
        assertTrue(o.out().contains("ratings   100,836"), o.out());
        assertTrue(o.out().contains("sparsity  98.3"), o.out());
        assertTrue(o.out().contains("0.5       1,370"), o.out());
        assertTrue(o.out().contains("time span 1996-03-29 .. 2018-09-24"), o.out());
    }

    @Test
    void verify_passes_on_the_shared_data_and_fails_on_a_modified_copy() throws Exception {
        assertEquals(0, run("datasets", "verify", "movielens-100k", "--data-dir", shared().toString()).exit());
        Outcome imported = run("datasets", "import", "movielens-100k", "--from", shared().resolve("ml-100k").toString(), "--data-dir", tmp.toString());
        assertEquals(0, imported.exit(), imported.err());
        Path info = tmp.resolve("ml-100k/u.info");
        Files.writeString(info, Files.readString(info).replace('9', '8'));
        Outcome o = run("datasets", "verify", "--data-dir", tmp.toString());
        assertEquals(1, o.exit());
        assertTrue(o.out().contains("ml-100k/u.info: SHA-256 mismatch: expected 5b0a40b2e47a729ee6203063f6dcf8790c2e63f5a18663e6ee318a72c5f3c27b, actual "),
                o.out());
    }

    @Test
    void fetching_a_login_only_dataset_fails_with_the_import_command() {
        Outcome o = run("datasets", "fetch", "netflix-prize", "--data-dir", tmp.toString());
        assertEquals(1, o.exit());
        assertTrue(o.err().contains("cinelab datasets import netflix-prize --from path/to/netflix-prize-data"), o.err());
    }

    @Test
    void a_file_system_failure_is_told_in_words_with_its_path(@org.junit.jupiter.api.io.TempDir Path tmp) throws Exception {
        Path notAFolder = java.nio.file.Files.writeString(tmp.resolve("cache"), "a file, not a folder");
        java.nio.file.Files.createDirectories(tmp.resolve("copy"));
        Outcome o = run("datasets", "import", "movielens-100k", "--from", tmp.resolve("copy").toString(),
                "--data-dir", notAFolder.toString());
        assertEquals(1, o.exit(), o.err());
        assertEquals("error: " + notAFolder + ": already exists", o.err().trim());
    }

    @Test
    void an_unknown_dataset_is_bad_input() {
        Outcome o = run("datasets", "info", "movielens-20m", "--data-dir", tmp.toString());
        assertEquals(2, o.exit());
        assertTrue(o.err().contains("known datasets: movielens-100k"), o.err());
    }
}
