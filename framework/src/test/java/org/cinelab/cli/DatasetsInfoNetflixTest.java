package org.cinelab.cli;

import org.cinelab.data.netflix.NetflixGenerator;
import org.cinelab.testing.SharedData;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.*;

class DatasetsInfoNetflixTest {
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

    @Test
    void info_netflix_prize_prints_the_rating_statistics_of_the_genuine_sample() throws Exception {
        Path sample = SharedData.dir("netflix-prize-sample");
        Path target = tmp.resolve("netflix-prize/training_set");
        Files.createDirectories(target);
        try (Stream<Path> files = Files.list(sample.resolve("training_set"))) {
            for (Path f : files.toList()) Files.copy(f, target.resolve(f.getFileName()));
        }
        Outcome o = run("datasets", "info", "netflix-prize", "--data-dir", tmp.toString());
        assertEquals(0, o.exit(), o.err());
        assertTrue(o.out().contains("users     19,519"), o.out());
        assertTrue(o.out().contains("items     10"), o.out());
        assertTrue(o.out().contains("ratings   20,352"), o.out());
        assertTrue(o.out().contains("time span "), o.out());
    }

    @Test
    void info_netflix_prize_reads_generated_combined_data_files() throws Exception {
        NetflixGenerator.write(tmp.resolve("netflix-prize/combined_data_1.txt"), 3_000, 4);
        Outcome o = run("datasets", "info", "netflix-prize", "--data-dir", tmp.toString());
        assertEquals(0, o.exit(), o.err());
        assertTrue(o.out().contains("ratings   3,000"), o.out());
        assertTrue(o.out().matches("(?s).*time span \\d{4}-\\d\\d-\\d\\d \\.\\. \\d{4}-\\d\\d-\\d\\d.*"), o.out());
    }

    @Test
    void info_netflix_titles_prints_rows_per_type_and_missing_cells_of_each_version() {
        Path shared = SharedData.require();
        Outcome o = run("datasets", "info", "netflix-titles", "--data-dir", shared.toString());
        assertEquals(0, o.exit(), o.err());
        assertTrue(o.out().contains("netflix_titles_7787.csv: 7,787 rows"), o.out());
        assertTrue(o.out().contains("netflix_titles.csv: 8,807 rows"), o.out());
        assertTrue(o.out().contains("type Movie        6,131"), o.out());
        assertTrue(o.out().contains("type TV Show      2,410"), o.out());
        assertTrue(o.out().contains("missing   director 2,634, cast 825, country 831, date_added 10, rating 4, duration 3"), o.out());
        assertTrue(o.out().contains("missing   director 2,389, cast 718, country 507, date_added 10, rating 7"), o.out());
    }
}
