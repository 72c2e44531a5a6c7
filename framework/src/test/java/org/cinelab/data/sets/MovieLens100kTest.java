package org.cinelab.data.sets;

import org.cinelab.data.DatasetRequest;
import org.cinelab.data.RatingSplits;
import org.cinelab.data.sets.MovieLens100k;
import org.cinelab.testing.SharedData;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.*;

class MovieLens100kTest {

    private static RatingSplits load(Path dataDir, String split, long seed) throws IOException {
        return (RatingSplits) new MovieLens100k().load(new DatasetRequest(split, Map.of(), seed, dataDir, m -> {}));
    }

    @Test
    void u1SplitHas80000TrainingAnd20000TestRatingsWithTenPercentValidation() throws IOException {
        RatingSplits s = load(SharedData.require(), "u1", 42);
        assertEquals(72_000, s.train().size());
        assertEquals(8_000, s.validation().size());
        assertEquals(20_000, s.test().size());
        assertEquals(943, s.numUsers());
        assertEquals(1682, s.numItems());
        assertEquals("u1", s.params().get("split"));
    }

    @Test
    void randomSplitOfUDataCoversAll100000Ratings() throws IOException {
        RatingSplits s = load(SharedData.require(), "random", 7);
        assertEquals(100_000, s.train().size() + s.validation().size() + s.test().size());
        assertEquals(20_000, s.test().size());
    }

    @Test
    void theSameSeedCarvesTheSameValidationSetAndAnotherSeedADifferentOne() throws IOException {
        Path dir = SharedData.require();
        RatingSplits a = load(dir, "u1", 1), b = load(dir, "u1", 1), c = load(dir, "u1", 2);
        assertEquals(a.validation(), b.validation());
        assertNotEquals(a.validation(), c.validation());
        assertEquals(a.splitId(), b.splitId());
        assertNotEquals(a.splitId(), c.splitId());
    }

    @Test
    void generatedFilesLoadWithDenseIds(@TempDir Path tmp) throws IOException {
        Path dir = Files.createDirectories(tmp.resolve("ml-100k"));
        Files.writeString(dir.resolve("u1.base"), "1\t1\t5\t874965758\n943\t1682\t1\t874965759\n2\t3\t4\t874965760\n");
        Files.writeString(dir.resolve("u1.test"), "1\t2\t3\t874965761\n");
        RatingSplits s = (RatingSplits) new MovieLens100k().load(
                new DatasetRequest("u1", Map.of("validation_ratio", 0.34), 0, tmp, m -> {}));
        assertEquals(2, s.train().size());
        assertEquals(1, s.validation().size());
        assertEquals(0, s.test().user(0));
        assertEquals(1, s.test().item(0));
        assertEquals(874965761L, s.test().timestamp(0));
    }

    @Test
    void aBadLineIsReportedWithFileLineAndText(@TempDir Path tmp) throws IOException {
        Path dir = Files.createDirectories(tmp.resolve("ml-100k"));
        Files.writeString(dir.resolve("u1.base"), "1\t1\t5\t874965758\n1\t2\t7\t874965758\n");
        Files.writeString(dir.resolve("u1.test"), "");
        IOException e = assertThrows(IOException.class,
                () -> new MovieLens100k().load(new DatasetRequest("u1", Map.of(), 0, tmp, m -> {})));
        assertEquals("u1.base line 2: rating 7 out of range [1, 5]: \"1\t2\t7\t874965758\""
                + " (dataset option on_error: skip skips such lines)", e.getMessage());
    }

    @Test
    void aBadLineIsSkippedAndCountedWhenTheSpecSaysSo(@TempDir Path tmp) throws IOException {
        Path dir = Files.createDirectories(tmp.resolve("ml-100k"));
        Files.writeString(dir.resolve("u1.base"), "1\t1\t5\t874965758\n1\t2\t7\t874965758\n2\t2\t3\t874965759\n");
        Files.writeString(dir.resolve("u1.test"), "1\t3\t4\t874965760\n");
        List<String> said = new ArrayList<>();
        RatingSplits s = (RatingSplits) new MovieLens100k().load(
                new DatasetRequest("u1", Map.of("on_error", "skip", "validation_ratio", 0.5), 0, tmp, said::add));
        assertEquals(2, s.train().size() + s.validation().size());
        assertEquals("1", s.params().get("dataset.skipped_lines"));
        assertEquals(List.of("movielens-100k: skipped 1 malformed line(s) (on_error: skip), first: u1.base line 2: "
                + "rating 7 out of range [1, 5]: \"1\t2\t7\t874965758\""), skipNotes(said));
    }

    @Test
    void linesSkippedFromUDataAreCountedForTheGeneratedSplitsToo(@TempDir Path tmp) throws IOException {
        Path dir = Files.createDirectories(tmp.resolve("ml-100k"));
        Files.writeString(dir.resolve("u.data"), "1\t1\t5\t874965758\nbroken\n2\t2\t3\t874965759\n1\t3\t4\t874965760\n");
        List<String> said = new ArrayList<>();
        RatingSplits s = (RatingSplits) new MovieLens100k().load(new DatasetRequest("random",
                Map.of("on_error", "skip", "test_ratio", 0.2, "validation_ratio", 0.2), 0, tmp, said::add));
        assertEquals("1", s.params().get("dataset.skipped_lines"));
        assertEquals(1, skipNotes(said).size(), said.toString());
        assertTrue(skipNotes(said).get(0).startsWith("movielens-100k: skipped 1 malformed line(s)"), said.toString());
    }

    /** The messages about skipped lines (a hand-made folder also gets a note that it differs from the catalog). */
    private static List<String> skipNotes(List<String> said) {
        return said.stream().filter(m -> m.contains(" skipped ")).toList();
    }

    @Test
    void underOnErrorFailNoSkippedCountIsAddedSoSplitIdsStayAsTheyWere(@TempDir Path tmp) throws IOException {
        Path dir = Files.createDirectories(tmp.resolve("ml-100k"));
        Files.writeString(dir.resolve("u1.base"), "1\t1\t5\t874965758\n2\t2\t3\t874965759\n");
        Files.writeString(dir.resolve("u1.test"), "1\t3\t4\t874965760\n");
        RatingSplits s = (RatingSplits) new MovieLens100k().load(new DatasetRequest("u1", Map.of(), 0, tmp, m -> {}));
        assertFalse(s.params().containsKey("dataset.skipped_lines"), s.params().toString());
    }

    @Test
    void idsOutsideMovieLens100kAreRejected(@TempDir Path tmp) throws IOException {
        Path dir = Files.createDirectories(tmp.resolve("ml-100k"));
        Files.writeString(dir.resolve("u1.base"), "944\t1\t5\t874965758\n");
        Files.writeString(dir.resolve("u1.test"), "1\t3\t4\t874965760\n");
        IOException e = assertThrows(IOException.class,
                () -> new MovieLens100k().load(new DatasetRequest("u1", Map.of(), 0, tmp, m -> {})));
        assertTrue(e.getMessage().contains("ids outside MovieLens-100k"), e.getMessage());
    }
}
