package org.cinelab.data.sets;

import org.cinelab.data.MovieLensData;
import org.cinelab.data.sets.DelimitedRatingsReader;
import org.cinelab.data.sets.MovieLens1m;
import org.cinelab.data.sets.DelimitedRatingsReader.OnError;
import org.cinelab.data.catalog.DatasetException;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;

import static org.junit.jupiter.api.Assertions.*;

/** ml-1m is not in the shared data: the parser is checked on small files in its exact format. */
class MovieLens1mTest {
    @TempDir Path dir;

    @BeforeEach
    void writeFiles() throws Exception {
        Files.writeString(dir.resolve("ratings.dat"), """
                1::1193::5::978300760
                1::661::3::978302109
                2::1193::4::978298413
                3::3408::4::978297039
                """, StandardCharsets.US_ASCII);
        Files.writeString(dir.resolve("movies.dat"), """
                661::James and the Giant Peach (1996)::Animation|Children's|Musical
                1193::One Flew Over the Cuckoo's Nest (1975)::Drama
                2012::Back to the Future Part III (1990)::Comedy|Sci-Fi|Western
                3408::Erin Brockovich (2000)::Drama
                """.replace("Erin Brockovich", "Am\u00e9lie Brockovich"), StandardCharsets.ISO_8859_1);
        Files.writeString(dir.resolve("users.dat"), """
                1::F::1::10::48067
                2::M::56::16::70072
                3::M::25::15::55117
                """, StandardCharsets.US_ASCII);
    }

    @Test
    void ratings_get_dense_ids_in_order_of_first_appearance_with_maps_back() throws Exception {
        MovieLensData d = MovieLens1m.read(dir, OnError.FAIL);
        assertEquals(4, d.ratings().size());
        assertEquals(3, d.users().size());
        assertEquals(3, d.items().size());
        assertArrayEquals(new int[] {0, 1, 0, 2}, d.ratings().items());
        assertEquals(1193L, d.items().rawOf(0));
        assertEquals(978300760L, d.ratings().timestamp(0));
        assertEquals(4f, d.ratings().rating(2));
        assertEquals(4, d.catalogMovies());
    }

    @Test
    void latin1_titles_and_user_demographics_are_decoded() throws Exception {
        MovieLensData d = MovieLens1m.read(dir, OnError.FAIL);
        assertEquals("Am\u00e9lie Brockovich (2000)", d.titles()[d.items().denseOf(3408)]);
        assertEquals("Animation|Children's|Musical", d.genres()[d.items().denseOf(661)]);
        int user2 = d.users().denseOf(2);
        assertEquals('M', d.demographics().gender()[user2]);
        assertEquals(56, d.demographics().age()[user2]);
        assertEquals(16, d.demographics().occupation()[user2]);
        assertEquals("70072", d.demographics().zip()[user2]);
    }

    @Test
    void a_malformed_line_fails_with_file_line_and_text() throws Exception {
        Files.writeString(dir.resolve("ratings.dat"), "1::1193::5::978300760\n1::661:3::978302109\n");
        DatasetException e = assertThrows(DatasetException.class, () -> MovieLens1m.read(dir, OnError.FAIL));
        assertTrue(e.getMessage().startsWith("ratings.dat line 2: expected 4 fields user::item::rating::timestamp: \"1::661:3::978302109\""),
                e.getMessage());
    }

    @Test
    void under_on_error_skip_malformed_lines_are_counted_not_loaded() throws Exception {
        Files.writeString(dir.resolve("ratings.dat"), "1::1193::5::978300760\n1::661::x::978302109\n2::1193::0::978298413\n");
        Files.writeString(dir.resolve("users.dat"), "1::F::1::10::48067\n2::Q::56::16::70072\n");
        MovieLensData d = MovieLens1m.read(dir, OnError.SKIP);
        assertEquals(1, d.ratings().size());
        assertEquals(3, d.skippedLines());
    }

    @Test
    void a_bad_users_line_names_users_dat() throws Exception {
        Files.writeString(dir.resolve("users.dat"), "1::F::1::10::48067\n2::M::56::16\n");
        DatasetException e = assertThrows(DatasetException.class, () -> MovieLens1m.read(dir, OnError.FAIL));
        assertTrue(e.getMessage().startsWith("users.dat line 2: expected 5 '::'-separated fields, got 4: \"2::M::56::16\""), e.getMessage());
    }

    @Test
    void the_data_checksum_changes_when_a_source_file_changes() throws Exception {
        String before = MovieLens1m.read(dir, OnError.FAIL).dataSha256();
        Files.writeString(dir.resolve("users.dat"), "1::F::1::10::48068\n2::M::56::16::70072\n3::M::25::15::55117\n");
        assertNotEquals(before, MovieLens1m.read(dir, OnError.FAIL).dataSha256());
    }
}
