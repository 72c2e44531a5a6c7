package org.cinelab.data.netflix;

import org.cinelab.testing.SharedData;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import java.util.OptionalInt;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

class NetflixMovieTitlesTest {
    @Test
    void theOriginalListHas17770LatinOneTitles() throws Exception {
        NetflixMovieTitles t = NetflixMovieTitles.read(SharedData.dir("netflix-prize-sample").resolve("movie_titles.txt"));
        assertEquals(17_770, t.size());
        assertEquals(Optional.of("Smokey Joe's Caf\u00e9"), t.titleOf(6483));
        assertEquals(Optional.of("At Home Among Strangers, A Stranger Among His Own"), t.titleOf(72));
        assertEquals(OptionalInt.empty(), t.year(t.rowOf(4388)));
        assertEquals(OptionalInt.of(2003), t.year(t.rowOf(17770)));
        int nullYears = 0;
        for (int r = 0; r < t.size(); r++) if (t.year(r).isEmpty()) nullYears++;
        assertEquals(7, nullYears);
    }

    @Test
    void titlesKeepTheirCommasAndNullYearsAreEmpty(@TempDir Path dir) throws Exception {
        Path f = dir.resolve("movie_titles.txt");
        Files.write(f, "1,2003,Dinosaur Planet\n2,NULL,Lights, Camera, Action!\n3,1997,Caf\u00e9\n"
                .getBytes(StandardCharsets.ISO_8859_1));
        NetflixMovieTitles t = NetflixMovieTitles.read(f);
        assertEquals(3, t.size());
        assertEquals("Lights, Camera, Action!", t.title(1));
        assertEquals(OptionalInt.empty(), t.year(1));
        assertEquals("Caf\u00e9", t.title(2));
        assertEquals(Optional.empty(), t.titleOf(4));
    }

    @Test
    void aBadYearFailsOrIsSkippedAndCounted(@TempDir Path dir) throws Exception {
        Path f = dir.resolve("movie_titles.txt");
        Files.writeString(f, "1,2003,Dinosaur Planet\n2,20O4,Typo\n3,1997,Character\n");
        MalformedDataException e = assertThrows(MalformedDataException.class, () -> NetflixMovieTitles.read(f));
        assertEquals(f + ":2: YearOfRelease \"20O4\" is not a 4-digit year or NULL: \"2,20O4,Typo\"", e.getMessage());
        NetflixMovieTitles skipped = NetflixMovieTitles.read(f, OnError.SKIP);
        assertEquals(2, skipped.size());
        assertEquals(1, skipped.skippedLines());
        assertEquals(List.of(e.getMessage()), skipped.problems());
    }

    @Test
    void aLineWithoutTitleFieldFails(@TempDir Path dir) throws Exception {
        Path f = dir.resolve("movie_titles.txt");
        Files.writeString(f, "1,2003\n");
        assertEquals(f + ":1: expected MovieID,YearOfRelease,Title: \"1,2003\"",
                assertThrows(MalformedDataException.class, () -> NetflixMovieTitles.read(f)).getMessage());
    }

    @Test
    void utf16IsAnUnknownEncoding(@TempDir Path dir) throws Exception {
        Path f = dir.resolve("movie_titles.txt");
        Files.write(f, "1,2003,Dinosaur Planet\n".getBytes(StandardCharsets.UTF_16));
        assertEquals(f + ":1: unknown encoding: UTF-16 byte-order mark (expected ISO-8859-1 text): \"\"",
                assertThrows(MalformedDataException.class, () -> NetflixMovieTitles.read(f)).getMessage());
    }

    @Test
    void aUtf8ByteOrderMarkMeansAReSavedUtf8Copy(@TempDir Path dir) throws Exception {
        Path f = dir.resolve("movie_titles.txt");
        byte[] body = "6483,2001,Smokey Joe's Caf\u00e9\n".getBytes(StandardCharsets.UTF_8);
        byte[] bytes = new byte[body.length + 3];
        bytes[0] = (byte) 0xEF;
        bytes[1] = (byte) 0xBB;
        bytes[2] = (byte) 0xBF;
        System.arraycopy(body, 0, bytes, 3, body.length);
        Files.write(f, bytes);
        assertEquals(Optional.of("Smokey Joe's Caf\u00e9"), NetflixMovieTitles.read(f).titleOf(6483));
    }
}
