package org.cinelab.data.catalog;

import org.cinelab.data.netflix.NetflixTitles;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.*;

class TitlesStatsTest {
    private static String[] row(String id, String type, String director, String cast, String country) {
        return new String[] {id, type, "T", director, cast, country, "May 1, 2020", "2019", "TV-MA", "90 min", "Dramas", "Text."};
    }

    @Test
    void counts_rows_per_type_and_empty_cells_per_column_leaving_out_complete_columns() {
        NetflixTitles t = NetflixTitles.fromRows(List.of(
                row("s1", "Movie", "", "X", "India"),
                row("s2", "TV Show", "D", "", ""),
                row("s3", "Movie", "E", "Y", "US")));
        TitlesStats s = TitlesStats.of("f.csv", t);
        assertEquals(3, s.rows());
        assertEquals(Map.of("Movie", 2, "TV Show", 1), s.rowsByType());
        assertEquals(Map.of("director", 1, "cast", 1, "country", 1), s.missingByColumn());
        String text = s.describe();
        assertTrue(text.startsWith("f.csv: 3 rows"), text);
        assertTrue(text.matches("(?s).*type Movie +2\\R  type TV Show +1\\R.*"), text);
        assertTrue(text.contains("missing   director 1, cast 1, country 1"), text);
    }

    @Test
    void a_table_without_empty_cells_says_none() {
        TitlesStats s = TitlesStats.of("f.csv", NetflixTitles.fromRows(List.<String[]>of(row("s1", "Movie", "D", "X", "US"))));
        assertTrue(s.describe().endsWith("missing   none"), s.describe());
    }
}
