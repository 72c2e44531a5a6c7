package org.cinelab.data.netflix;

import org.cinelab.testing.SharedData;
import org.cinelab.data.netflix.NetflixTitles.Column;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Collections;
import java.util.Map;
import java.util.stream.Collectors;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class NetflixTitlesTest {
    private static final String HEADER =
            "show_id,type,title,director,cast,country,date_added,release_year,rating,duration,listed_in,description\n";

    private static Map<String, Long> typeCounts(NetflixTitles t) {
        return t.column(Column.TYPE).stream().collect(Collectors.groupingBy(s -> s, Collectors.counting()));
    }

    @Test
    void theCurrentVersionHas8807TitlesWithTheReadmeCounts() throws Exception {
        NetflixTitles t = NetflixTitles.read(SharedData.dir("netflix-titles").resolve("netflix_titles.csv"));
        assertEquals(8807, t.size());
        assertEquals(Map.of("Movie", 6131L, "TV Show", 2676L), typeCounts(t));
        assertEquals(2634, t.missingCount(Column.DIRECTOR));
        assertEquals(825, t.missingCount(Column.CAST));
        assertEquals(831, t.missingCount(Column.COUNTRY));
        assertEquals(10, t.missingCount(Column.DATE_ADDED));
        assertEquals(4, t.missingCount(Column.RATING));
        assertEquals(3, t.missingCount(Column.DURATION));
        assertEquals("Dick Johnson Is Dead", t.get(0, Column.TITLE));
        assertEquals("s8807", t.get(8806, Column.SHOW_ID));
        int memphis = t.column(Column.SHOW_ID).indexOf("s8420");
        assertEquals("The Memphis Belle: A Story of a\nFlying Fortress", t.get(memphis, Column.TITLE));
        int louis = t.column(Column.SHOW_ID).indexOf("s5542");
        assertEquals("74 min", t.get(louis, Column.RATING), "upstream quirk kept: duration in the rating column");
    }

    @Test
    void theOlderVersionHas7787TitlesAndNoTrailingNewline() throws Exception {
        NetflixTitles t = NetflixTitles.read(SharedData.dir("netflix-titles").resolve("netflix_titles_7787.csv"));
        assertEquals(7787, t.size());
        assertEquals(Map.of("Movie", 5377L, "TV Show", 2410L), typeCounts(t));
        assertEquals(2389, t.missingCount(Column.DIRECTOR));
        assertEquals(718, t.missingCount(Column.CAST));
        assertEquals(507, t.missingCount(Column.COUNTRY));
        assertEquals(10, t.missingCount(Column.DATE_ADDED));
        assertEquals(7, t.missingCount(Column.RATING));
        assertEquals("3%", t.get(0, Column.TITLE));
        assertEquals("ZZ TOP: THAT LITTLE OL' BAND FROM TEXAS", t.get(7786, Column.TITLE));
    }

    @Test
    void theStudyCleaningKeeps5277MoviesOfTheCurrentVersion() throws Exception {
        NetflixTitles raw = NetflixTitles.read(SharedData.dir("netflix-titles").resolve("netflix_titles.csv"));
        NetflixTitles movies = TitlesCleaning.study().apply(raw);
        assertEquals(5277, movies.size());
        assertEquals(Map.of("Movie", 5277L), typeCounts(movies));
        for (Column c : Column.values()) assertEquals(0, movies.missingCount(c), c.header());
        assertTrue(movies.column(Column.DIRECTOR).contains("No Data"));
    }

    @Test
    void cleaningWithoutATypeFilterKeeps7290TitlesOfTheCurrentVersion() throws Exception {
        NetflixTitles raw = NetflixTitles.read(SharedData.dir("netflix-titles").resolve("netflix_titles.csv"));
        assertEquals(7290, new TitlesCleaning("No Data", null).apply(raw).size());
    }

    @Test
    void aSmallFileGoesThroughTheSameReadAndCleaning(@TempDir Path dir) throws Exception {
        Path csv = dir.resolve("netflix_titles.csv");
        Files.writeString(csv, HEADER
                + "s1,Movie,A,,\"X, Y\",US,\"May 1, 2020\",2020,PG,90 min,Dramas,\"A \"\"quoted\"\"\nline\"\n"
                + "s2,Movie,B,Dir,Cast,,\"May 2, 2020\",2019,PG,80 min,Dramas,no country\n"
                + "s1,Movie,A,,\"X, Y\",US,\"May 1, 2020\",2020,PG,90 min,Dramas,\"A \"\"quoted\"\"\nline\"\n"
                + "s3,TV Show,C,Dir,Cast,UK,\"May 3, 2020\",2018,TV-MA,1 Season,Docs,a show\n"
                + "s4,Movie,D,Dir,NA,FR,\"May 4, 2020\",2017,R,70 min,Comedies,pandas reads NA as missing\n"
                + "s5,Movie,E,Dir,Cast,DE,\" May 5, 2020\",2016,R,60 min,Comedies,kept\n");
        NetflixTitles raw = NetflixTitles.read(csv);
        assertEquals(6, raw.size());
        assertEquals("A \"quoted\"\nline", raw.get(0, Column.DESCRIPTION));
        assertEquals("X, Y", raw.get(0, Column.CAST));
        assertTrue(raw.isMissing(0, Column.DIRECTOR));
        // fill director of s1 (both copies); drop s2 (country) and s4 (cast "NA"); drop the second s1; drop s3 (TV Show)
        NetflixTitles movies = TitlesCleaning.study().apply(raw);
        assertEquals(java.util.List.of("s1", "s5"), movies.column(Column.SHOW_ID));
        assertEquals("No Data", movies.get(0, Column.DIRECTOR));
        assertEquals(" May 5, 2020", movies.get(1, Column.DATE_ADDED));
    }

    @Test
    void anUnexpectedHeaderIsRejectedWithTheExpectedOne(@TempDir Path dir) throws Exception {
        Path csv = dir.resolve("other.csv");
        Files.writeString(csv, "id,name\n1,x\n");
        MalformedDataException e = assertThrows(MalformedDataException.class, () -> NetflixTitles.read(csv));
        assertEquals(csv + ":1: unexpected header (expected " + HEADER.strip() + "): \"id,name\"", e.getMessage());
    }

    @Test
    void aRowWithMissingFieldsNamesItsLine(@TempDir Path dir) throws Exception {
        Path csv = dir.resolve("short.csv");
        Files.writeString(csv, HEADER + String.join(",", Collections.nCopies(12, "x")) + "\ns2,Movie,B\n");
        MalformedDataException e = assertThrows(MalformedDataException.class, () -> NetflixTitles.read(csv));
        assertEquals(csv + ":3: record has 3 fields, expected 12 as in the header: \"s2,Movie,B\"", e.getMessage());
    }
}
