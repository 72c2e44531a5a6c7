package org.cinelab.data.sets;

import org.cinelab.data.DatasetRequest;
import org.cinelab.data.RatingSplits;
import org.cinelab.data.sets.DatasetRegistry;
import org.cinelab.data.sets.NetflixPrizeDataset;
import org.cinelab.data.catalog.DatasetException;
import org.cinelab.data.netflix.MalformedDataException;
import org.cinelab.data.netflix.NetflixGenerator;
import org.cinelab.data.SplitId;
import org.cinelab.testing.SharedData;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.*;

class NetflixPrizeDatasetTest {
    @TempDir Path dataDir;

    /** A {@code netflix-prize} folder in the original layout: the genuine per-movie files of movies 1-10. */
    private Path sharedSampleInstalled() throws Exception {
        Path sample = SharedData.dir("netflix-prize-sample");
        Path target = dataDir.resolve("netflix-prize/training_set");
        Files.createDirectories(target);
        try (Stream<Path> files = Files.list(sample.resolve("training_set"))) {
            for (Path f : files.toList()) Files.copy(f, target.resolve(f.getFileName()));
        }
        return dataDir;
    }

    /** A {@code netflix-prize} folder in Kaggle's layout with two generated combined_data files. */
    private Path generatedInstalled() throws Exception {
        Path folder = dataDir.resolve("netflix-prize");
        NetflixGenerator.write(folder.resolve("combined_data_1.txt"), 20_000, 1);
        NetflixGenerator.write(folder.resolve("combined_data_2.txt"), 10_000, 2);
        return dataDir;
    }

    private static RatingSplits load(Path dataDir, String split, Map<String, Object> options, List<String> log) throws Exception {
        return (RatingSplits) new NetflixPrizeDataset().load(new DatasetRequest(split, options, 5, dataDir, log::add));
    }

    @Test
    void the_genuine_sample_loads_20352_ratings_of_19519_customers_on_10_movies() throws Exception {
        List<String> log = new ArrayList<>();
        RatingSplits s = load(sharedSampleInstalled(), "random", Map.of("test_ratio", 0.2, "validation_ratio", 0.1), log);
        assertEquals(20_352, s.train().size() + s.validation().size() + s.test().size());
        assertEquals(19_519, s.numUsers());
        assertEquals(10, s.numItems());
        assertEquals(4_070, s.test().size());
        assertEquals("training_set", s.params().get("dataset.layout"));
        assertEquals("10", s.params().get("dataset.files"));
        assertTrue(log.get(0).startsWith("netflix-prize: read 20,352 ratings (19,519 users, 10 movies) from 10 file(s)"), log.toString());
    }

    @Test
    void a_time_split_of_the_sample_trains_on_no_rating_after_a_test_rating() throws Exception {
        RatingSplits s = load(sharedSampleInstalled(), "time", Map.of("test_ratio", 0.1, "validation_ratio", 0.1), new ArrayList<>());
        assertTrue(max(s.train().timestamps()) <= min(s.test().timestamps()));
        assertTrue(max(s.train().timestamps()) <= min(s.validation().timestamps()));
        assertEquals(2_035, s.test().size(), 100, "the latest tenth, up to one day's ties");
    }

    @Test
    void generated_combined_data_files_load_in_order_and_split_the_same_way_twice() throws Exception {
        Path dir = generatedInstalled();
        RatingSplits a = load(dir, "kfold", Map.of("folds", 5, "fold", 2), new ArrayList<>());
        RatingSplits b = load(dir, "kfold", Map.of("folds", 5, "fold", 2), new ArrayList<>());
        assertEquals(30_000, a.train().size() + a.validation().size() + a.test().size());
        assertEquals(6_000, a.test().size());
        assertEquals("combined_data", a.params().get("dataset.layout"));
        assertEquals("2", a.params().get("dataset.files"));
        assertEquals(a.splitId(), b.splitId());
        assertEquals(a.test(), b.test());
        assertEquals(SplitId.of(a.dataSha256(), a.params()), a.splitId());
        assertEquals(1f, a.minRating());
        assertEquals(5f, a.maxRating());
    }

    @Test
    void the_top_users_items_filter_reports_what_it_kept() throws Exception {
        List<String> log = new ArrayList<>();
        RatingSplits s = load(generatedInstalled(), "random", Map.of("top_users", 100, "top_items", 20), log);
        int kept = s.train().size() + s.validation().size() + s.test().size();
        assertEquals(100, s.numUsers());
        assertEquals(20, s.numItems());
        assertEquals(Integer.toString(kept), s.params().get("filter.kept_ratings"));
        assertEquals("30000", s.params().get("filter.ratings_before"));
        assertTrue(log.stream().anyMatch(l -> l.startsWith("netflix-prize: top 100 users x top 20 items: kept ")), log.toString());
    }

    @Test
    void a_bad_line_fails_naming_file_and_line_or_is_skipped_and_counted() throws Exception {
        Path folder = dataDir.resolve("netflix-prize");
        Files.createDirectories(folder);
        Files.writeString(folder.resolve("combined_data_1.txt"), "1:\n10,3,2005-01-02\n11,9,2005-01-03\n12,4,2005-01-04\n");
        MalformedDataException e = assertThrows(MalformedDataException.class, () -> load(dataDir, "random", Map.of(), new ArrayList<>()));
        assertTrue(e.getMessage().contains("combined_data_1.txt:3: ") && e.getMessage().endsWith(": \"11,9,2005-01-03\""), e.getMessage());
        List<String> log = new ArrayList<>();
        RatingSplits s = load(dataDir, "random", Map.of("on_error", "skip", "test_ratio", 0.5, "validation_ratio", 0.0), log);
        assertEquals(2, s.train().size() + s.test().size());
        assertEquals("1", s.params().get("dataset.skipped_lines"));
        assertTrue(log.stream().anyMatch(l -> l.contains("skipped 1 malformed line(s)")), log.toString());
    }

    @Test
    void a_missing_dataset_stops_with_the_import_command() {
        DatasetException e = assertThrows(DatasetException.class, () -> load(dataDir, "random", Map.of(), new ArrayList<>()));
        assertTrue(e.getMessage().contains("cinelab datasets import netflix-prize --from"), e.getMessage());
    }

    @Test
    void the_registry_knows_both_netflix_datasets() {
        assertTrue(DatasetRegistry.find("netflix-prize").isPresent());
        assertEquals(RatingSplits.class, DatasetRegistry.find("netflix-prize").get().dataType());
        assertTrue(DatasetRegistry.find("netflix-prize").get().splits().contains("time"));
        assertTrue(DatasetRegistry.find("netflix-titles").isPresent());
    }

    private static long max(long[] a) { return Arrays.stream(a).max().orElseThrow(); }

    private static long min(long[] a) { return Arrays.stream(a).min().orElseThrow(); }
}
