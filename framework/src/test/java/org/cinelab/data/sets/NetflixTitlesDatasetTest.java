package org.cinelab.data.sets;

import org.cinelab.data.DatasetRequest;
import org.cinelab.data.sets.NetflixTitlesDataset;
import org.cinelab.data.catalog.DatasetException;
import org.cinelab.data.text.KerasTokenizer;
import org.cinelab.data.text.TextSplits;
import org.cinelab.testing.SharedData;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

import static org.junit.jupiter.api.Assertions.*;

class NetflixTitlesDatasetTest {
    private static final String HEADER = "show_id,type,title,director,cast,country,date_added,release_year,rating,duration,listed_in,description";

    @TempDir Path dataDir;

    private static TextSplits load(Path dataDir, Map<String, Object> options) throws Exception {
        return (TextSplits) new NetflixTitlesDataset().load(new DatasetRequest("random", options, 42, dataDir, s -> {}));
    }

    private static Map<String, Object> options(Object... kv) {
        Map<String, Object> m = new HashMap<>();
        for (int i = 0; i < kv.length; i += 2) m.put((String) kv[i], kv[i + 1]);
        return m;
    }

    /**
     * A generated catalogue in the 7,787-row file's place: 100 titles, every tenth a TV show, row 7
     * with no country, row 8 a duplicate of row 9, each description naming its own word {@code wN}.
     */
    private Path generatedInstalled() throws Exception {
        StringBuilder csv = new StringBuilder(HEADER).append('\n');
        for (int i = 1; i <= 100; i++) {
            int id = i == 8 ? 9 : i;
            String type = id % 10 == 0 ? "TV Show" : "Movie";
            String country = id == 7 ? "" : "India";
            String genre = id % 2 == 0 ? "Dramas, International Movies" : "Comedies";
            csv.append("s").append(id).append(',').append(type).append(",Title ").append(id).append(",,\"A, B\",").append(country)
                    .append(",\"January 1, 2020\",2019,TV-MA,90 min,\"").append(genre).append("\",\"A story about w").append(id)
                    .append(id % 3 == 0 ? " and family" : "").append(".\"\n");
        }
        Path folder = dataDir.resolve("netflix-titles");
        Files.createDirectories(folder);
        Files.writeString(folder.resolve("netflix_titles_7787.csv"), csv.toString(), StandardCharsets.UTF_8);
        return dataDir;
    }

    @Test
    void the_study_split_of_the_7787_row_catalogue_is_6229_779_779() throws Exception {
        TextSplits s = load(SharedData.require(), Map.of());
        assertEquals(6_229, s.train().size());
        assertEquals(779, s.validation().size());
        assertEquals(779, s.test().size());
        assertEquals(1500, s.featureCount());
        assertEquals(10_000, s.vocabularySize());
        assertEquals(1500, s.train().dense()[0].length);
        assertEquals("netflix_titles_7787.csv", s.params().get("dataset.file"));
        assertTrue(s.labelNames().contains("Dramas"));
        for (float[] row : s.train().dense()) for (float v : row) assertTrue(v >= 0f && v <= 1f);
        assertTrue(Files.readString(s.artifacts().get("vocabulary.tsv")).startsWith("index\tword\tcount\tdocs\tkept\n"));
    }

    @Test
    void the_8807_catalogue_cleaned_as_in_the_study_keeps_only_complete_movies() throws Exception {
        TextSplits s = load(SharedData.require(), options("version", 8807, "clean", true, "type", "Movie", "representation", "tfidf", "max_features", 2000));
        int rows = s.train().size() + s.validation().size() + s.test().size();
        assertEquals(s.titles().size(), rows);
        for (int r = 0; r < s.titles().size(); r++) assertEquals("Movie", s.titles().get(r, org.cinelab.data.netflix.NetflixTitles.Column.TYPE));
        assertEquals(2000, s.featureCount());
        assertEquals(s.train().size(), s.train().sparse().rows());
        assertNull(s.train().dense());
    }

    @Test
    void the_tokenizer_is_fitted_on_the_training_texts_only() throws Exception {
        TextSplits s = load(generatedInstalled(), options("num_words", 0, "maxlen", 0, "scale", false));
        Set<String> trainWords = new HashSet<>();
        for (String t : s.train().texts()) trainWords.addAll(KerasTokenizer.textToWordSequence(t));
        Set<String> vocabulary = new HashSet<>();
        List<String> lines = Files.readAllLines(s.artifacts().get("vocabulary.tsv"));
        for (String line : lines.subList(1, lines.size())) vocabulary.add(line.split("\t")[1]);
        assertEquals(trainWords, vocabulary);
        String testOnly = null;
        for (String t : s.test().texts()) {
            for (String w : KerasTokenizer.textToWordSequence(t)) if (!trainWords.contains(w)) testOnly = w;
        }
        assertNotNull(testOnly, "each description has its own word, so test holds words train does not");
        for (float[] row : s.test().dense()) {
            int words = 0;
            for (float v : row) if (v != 0) words++;
            assertTrue(words <= 5, "the test title's own word is dropped: 'a story about' plus at most 'and family'");
        }
    }

    @Test
    void on_a_generated_catalogue_the_80_10_10_split_cleaning_type_and_labels_follow_the_options() throws Exception {
        Path dir = generatedInstalled();
        TextSplits all = load(dir, Map.of());
        assertEquals(List.of(80, 10, 10), List.of(all.train().size(), all.validation().size(), all.test().size()));
        assertEquals(List.of("Comedies", "Dramas"), all.labelNames());
        for (TextSplits.Part p : List.of(all.train(), all.validation(), all.test())) {
            for (int k = 0; k < p.size(); k++) {
                int row = p.rows()[k];
                String genres = all.titles().get(row, org.cinelab.data.netflix.NetflixTitles.Column.LISTED_IN);
                assertTrue(genres.startsWith(all.labelNames().get(p.labels()[k])));
            }
        }
        TextSplits cleaned = load(dir, options("clean", true));
        assertEquals(98, cleaned.titles().size(), "row 7 lacks a country and row 8 duplicates row 9");
        assertEquals("No Data", cleaned.titles().get(0, org.cinelab.data.netflix.NetflixTitles.Column.DIRECTOR));
        TextSplits shows = load(dir, options("type", "TV Show", "label_column", "type"));
        assertEquals(10, shows.titles().size());
        assertEquals(List.of("TV Show"), shows.labelNames());
    }

    @Test
    void min_max_scaling_uses_the_training_range_so_validation_values_may_leave_0_1() throws Exception {
        TextSplits s = load(generatedInstalled(), options("maxlen", 0));
        assertEquals(s.train().dense()[0].length, s.featureCount());
        for (float[] row : s.train().dense()) for (float v : row) assertTrue(v >= 0f && v <= 1f);
        assertEquals("true", s.params().get("text.scale"));
        assertEquals(Integer.toString(s.featureCount()), s.params().get("text.maxlen"));
    }

    @Test
    void tfidf_rows_are_sparse_and_unit_length_and_the_split_id_is_stable() throws Exception {
        Path dir = generatedInstalled();
        TextSplits a = load(dir, options("representation", "tfidf"));
        TextSplits b = load(dir, options("representation", "tfidf"));
        assertEquals(a.splitId(), b.splitId());
        double sum = 0;
        for (double v : a.test().sparse().denseRow(0)) sum += v * v;
        assertEquals(1.0, sum, 1e-9);
        assertEquals(a.featureCount(), a.test().sparse().columns());
        assertNotEquals(a.splitId(), load(dir, Map.of()).splitId());

        TextSplits scaled = load(dir, options("representation", "tfidf", "tfidf_scale", "sqrt_features"));
        double scaledSum = 0;
        for (double v : scaled.test().sparse().denseRow(0)) scaledSum += v * v;
        assertEquals(a.featureCount(), scaledSum, 1e-6, "a row's squared norm becomes the column count");
        assertEquals("sqrt_features", scaled.params().get("text.tfidf_scale"));
        assertNotEquals(a.splitId(), scaled.splitId());
    }

    @Test
    void a_version_not_installed_or_unknown_is_named_with_what_is_valid() throws Exception {
        Path dir = generatedInstalled();
        DatasetException missing = assertThrows(DatasetException.class, () -> load(dir, options("version", 8807)));
        assertTrue(missing.getMessage().contains("netflix_titles.csv is missing; dataset option version: 8807 needs it (installed: 7787)"),
                missing.getMessage());
        DatasetException unknown = assertThrows(DatasetException.class, () -> load(dir, options("version", 8000)));
        assertTrue(unknown.getMessage().contains("valid: 7787, 8807"), unknown.getMessage());
        assertThrows(DatasetException.class, () -> load(dataDir.resolve("empty"), Map.of()));
    }

    @Test
    void the_provider_declares_its_text_options() {
        List<String> names = new ArrayList<>();
        new NetflixTitlesDataset().options().forEach(o -> names.add(o.name()));
        assertTrue(names.containsAll(List.of("version", "clean", "type", "text_column", "label_column", "representation",
                "num_words", "maxlen", "scale", "max_features", "tfidf_scale")), names.toString());
        assertEquals(TextSplits.class, new NetflixTitlesDataset().dataType());
    }
}
