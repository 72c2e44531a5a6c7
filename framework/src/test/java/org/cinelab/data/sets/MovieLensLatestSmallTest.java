package org.cinelab.data.sets;

import org.cinelab.data.DatasetRequest;
import org.cinelab.data.MovieLensData;
import org.cinelab.data.RatingSplits;
import org.cinelab.data.sets.DelimitedRatingsReader;
import org.cinelab.data.sets.MovieLensLatestSmall;
import org.cinelab.data.sets.DelimitedRatingsReader.OnError;
import org.cinelab.data.catalog.DatasetException;
import org.cinelab.testing.SharedData;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.*;

class MovieLensLatestSmallTest {
    @TempDir Path tmp;

    private static Path sharedFolder() {
        Path shared = SharedData.find();
        SharedData.assumePresent(shared != null, SharedData.SKIP);
        return shared.resolve("ml-latest-small");
    }

    @Test
    void the_counts_match_the_readme_100836_ratings_610_users_9724_rated_of_9742_movies() throws Exception {
        MovieLensData d = MovieLensLatestSmall.read(sharedFolder(), OnError.FAIL);
        assertEquals(100_836, d.ratings().size());
        assertEquals(610, d.users().size());
        assertEquals(9_724, d.items().size());
        assertEquals(9_742, d.catalogMovies());
        assertEquals(0, d.skippedLines());
    }

    @Test
    void half_star_ratings_and_quoted_titles_are_read_exactly() throws Exception {
        MovieLensData d = MovieLensLatestSmall.read(sharedFolder(), OnError.FAIL);
        long halves = 0;
        for (float r : d.ratings().ratings()) if (r == 0.5f) halves++;
        assertEquals(1_370, halves);
        assertEquals("American President, The (1995)", d.titles()[d.items().denseOf(11)]);
        assertEquals("Comedy|Drama|Romance", d.genres()[d.items().denseOf(11)]);
        assertEquals("11'09\"01 - September 11 (2002)", d.titles()[d.items().denseOf(7789)]);
        assertEquals(1L, d.users().rawOf(d.ratings().user(0)));
    }

    @Test
    void a_rating_out_of_range_names_file_line_and_text_or_is_skipped_when_asked() throws Exception {
        Files.createDirectories(tmp);
        Files.writeString(tmp.resolve("ratings.csv"), "userId,movieId,rating,timestamp\r\n1,1,4.0,964982703\r\n1,3,7.5,964981247\r\n2,1,3.0,964982224\r\n");
        Files.writeString(tmp.resolve("movies.csv"), "movieId,title,genres\r\n1,Toy Story (1995),Animation\r\n");
        DatasetException e = assertThrows(DatasetException.class, () -> MovieLensLatestSmall.read(tmp, OnError.FAIL));
        assertTrue(e.getMessage().startsWith("ratings.csv line 3: rating 7.5 out of range [0.5, 5]: \"1,3,7.5,964981247\""), e.getMessage());
        MovieLensData d = MovieLensLatestSmall.read(tmp, OnError.SKIP);
        assertEquals(2, d.ratings().size());
        assertEquals(1, d.skippedLines());
    }

    @Test
    void a_file_with_another_header_is_refused() throws Exception {
        Files.writeString(tmp.resolve("ratings.csv"), "user,item,rating\n1,1,4\n");
        Files.writeString(tmp.resolve("movies.csv"), "movieId,title,genres\n");
        DatasetException e = assertThrows(DatasetException.class, () -> MovieLensLatestSmall.read(tmp, OnError.FAIL));
        assertTrue(e.getMessage().contains("ratings.csv line 1: expected the header \"userId,movieId,rating,timestamp\""), e.getMessage());
    }

    @Test
    void the_provider_returns_seeded_splits_with_params_and_a_split_id() throws Exception {
        Path shared = SharedData.find();
        SharedData.assumePresent(shared != null, SharedData.SKIP);
        DatasetRequest request = new DatasetRequest("random", Map.of("test_ratio", 0.2, "validation_ratio", 0.1), 42, shared, s -> {});
        RatingSplits s = (RatingSplits) new MovieLensLatestSmall().load(request);
        assertEquals(100_836, s.train().size() + s.validation().size() + s.test().size());
        assertEquals(20_167, s.test().size());
        assertEquals(10_084, s.validation().size());
        assertEquals(0.5f, s.minRating());
        assertEquals("movielens-latest-small", s.params().get("dataset.name"));
        assertEquals("42", s.params().get("split.seed"));
        RatingSplits again = (RatingSplits) new MovieLensLatestSmall().load(request);
        assertEquals(s.splitId(), again.splitId());
        assertEquals(s.test(), again.test());
        RatingSplits other = (RatingSplits) new MovieLensLatestSmall().load(new DatasetRequest("random", Map.of(), 43, shared, x -> {}));
        assertNotEquals(s.splitId(), other.splitId());
    }

    @Test
    void csv_fields_follow_rfc_4180_quoting() {
        assertEquals(List.of("1", "a, \"b\"", ""), MovieLensLatestSmall.csvFields("1,\"a, \"\"b\"\"\","));
        assertNull(MovieLensLatestSmall.csvFields("1,\"open"));
    }
}
