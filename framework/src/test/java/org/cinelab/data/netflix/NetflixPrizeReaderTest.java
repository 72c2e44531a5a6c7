package org.cinelab.data.netflix;

import org.cinelab.testing.SharedData;
import org.cinelab.data.RatingTable;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.List;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

class NetflixPrizeReaderTest {
    private static final NetflixPrizeReader READER = new NetflixPrizeReader();

    private static long seconds(String isoDate) {
        return LocalDate.parse(isoDate).atStartOfDay(ZoneOffset.UTC).toEpochSecond();
    }

    private static Path write(Path dir, String name, String text) throws IOException {
        Path file = dir.resolve(name);
        Files.writeString(file, text, StandardCharsets.ISO_8859_1);
        return file;
    }

    private static String failure(Path file) {
        return assertThrows(MalformedDataException.class, () -> READER.read(List.of(file))).getMessage();
    }

    /** The sample's training_set joined into one combined_data-style file. */
    private static Path combine(Path trainingSet, Path out) throws IOException {
        try (OutputStream os = Files.newOutputStream(out); Stream<Path> files = Files.list(trainingSet)) {
            for (Path p : files.sorted().toList()) os.write(Files.readAllBytes(p));
        }
        return out;
    }

    @Test
    void theSampleTrainingSetHasTheReadmeCounts() throws Exception {
        NetflixPrizeRatings r = READER.readTrainingSet(SharedData.dir("netflix-prize-sample").resolve("training_set"));
        assertEquals(20_352, r.size());
        assertEquals(19_519, r.users().size());
        assertArrayEquals(new int[] {1, 2, 3, 4, 5, 6, 7, 8, 9, 10}, r.movies().raws());
        int[] perMovie = new int[10];
        for (int item : r.ratings().items()) perMovie[item]++;
        assertArrayEquals(new int[] {547, 145, 2012, 142, 1140, 1019, 93, 14910, 95, 249}, perMovie);
        RatingTable t = r.ratings();
        assertEquals(1_488_844, r.users().raw(t.user(0)));
        assertEquals(1, r.movies().raw(t.item(0)));
        assertEquals(3f, t.rating(0));
        assertEquals(seconds("2005-09-06"), t.timestamp(0));
        assertEquals(822_109, r.users().raw(t.user(1)));
        assertEquals(0, r.skippedLines());
    }

    @Test
    void theSampleGivesTheSameRatingsAsPerMovieFilesAndAsOneCombinedFile(@TempDir Path dir) throws Exception {
        Path trainingSet = SharedData.dir("netflix-prize-sample").resolve("training_set");
        NetflixPrizeRatings perMovie = READER.readTrainingSet(trainingSet);
        Path combined = combine(trainingSet, dir.resolve("combined_data_1.txt"));
        NetflixPrizeRatings joined = READER.read(List.of(combined));
        assertEquals(perMovie.ratings(), joined.ratings());
        assertArrayEquals(perMovie.users().raws(), joined.users().raws());
        assertArrayEquals(perMovie.movies().raws(), joined.movies().raws());
    }

    @Test
    void chunkSizeAndThreadCountDoNotChangeTheResult(@TempDir Path dir) throws Exception {
        Path file = dir.resolve("combined.txt");
        NetflixGenerator.write(file, 20_000, 7);
        NetflixPrizeRatings whole = new NetflixPrizeReader(OnError.FAIL, 1, Integer.MAX_VALUE).read(List.of(file));
        for (int chunk : new int[] {1, 17, 4096}) {
            for (int threads : new int[] {1, 3}) {
                NetflixPrizeRatings r = new NetflixPrizeReader(OnError.FAIL, threads, chunk).read(List.of(file));
                assertEquals(whole.ratings(), r.ratings(), "chunk " + chunk + ", threads " + threads);
                assertArrayEquals(whole.users().raws(), r.users().raws());
            }
        }
    }

    @Test
    void denseIdsFollowAscendingRawIdsAndMapBack(@TempDir Path dir) throws Exception {
        Path file = write(dir, "c.txt", "30:\n500,4,2005-01-02\n7,1,2004-02-29\n10:\n500,5,1999-11-11\n");
        NetflixPrizeRatings r = READER.read(List.of(file));
        assertArrayEquals(new int[] {7, 500}, r.users().raws());
        assertArrayEquals(new int[] {10, 30}, r.movies().raws());
        assertArrayEquals(new int[] {1, 0, 1}, r.ratings().users());
        assertArrayEquals(new int[] {1, 1, 0}, r.ratings().items());
        assertArrayEquals(new float[] {4, 1, 5}, r.ratings().ratings());
        assertArrayEquals(new long[] {seconds("2005-01-02"), seconds("2004-02-29"), seconds("1999-11-11")},
                r.ratings().timestamps());
        assertEquals(1, r.users().dense(500));
        assertEquals(-1, r.users().dense(8));
    }

    @Test
    void crlfLinesAUtf8BomBlankLinesAndAMissingFinalNewlineAreAccepted(@TempDir Path dir) throws Exception {
        Path file = dir.resolve("c.txt");
        byte[] body = "1:\r\n5,3,2005-09-06\r\n\r\n2:\n6,2,2005-09-07".getBytes(StandardCharsets.US_ASCII);
        byte[] bytes = new byte[body.length + 3];
        bytes[0] = (byte) 0xEF;
        bytes[1] = (byte) 0xBB;
        bytes[2] = (byte) 0xBF;
        System.arraycopy(body, 0, bytes, 3, body.length);
        Files.write(file, bytes);
        NetflixPrizeRatings r = new NetflixPrizeReader(OnError.FAIL, 2, 5).read(List.of(file));
        assertEquals(2, r.size());
        assertArrayEquals(new int[] {5, 6}, r.users().raws());
        assertArrayEquals(new long[] {seconds("2005-09-06"), seconds("2005-09-07")}, r.ratings().timestamps());
    }

    @Test
    void aRatingOutOfRangeFailsWithFileLineAndText(@TempDir Path dir) throws Exception {
        Path f = write(dir, "c.txt", "1:\n1488844,3,2005-09-06\n822109,7,2005-05-13\n");
        assertEquals(f + ":3: Rating 7 out of range (expected 1..5): \"822109,7,2005-05-13\"", failure(f));
    }

    @Test
    void anImpossibleDateFails(@TempDir Path dir) throws Exception {
        Path f = write(dir, "c.txt", "1:\n822109,4,2005-02-29\n");
        assertEquals(f + ":2: date \"2005-02-29\" is not a valid YYYY-MM-DD date: \"822109,4,2005-02-29\"", failure(f));
    }

    @Test
    void aLineWithTheWrongShapeFails(@TempDir Path dir) throws Exception {
        Path f = write(dir, "c.txt", "1:\n822109;4;2005-02-01\n");
        assertEquals(f + ":2: expected 3 comma-separated fields CustomerID,Rating,YYYY-MM-DD, found 1: "
                + "\"822109;4;2005-02-01\"", failure(f));
    }

    @Test
    void aNonNumericCustomerOrRatingFails(@TempDir Path dir) throws Exception {
        assertEquals(dir.resolve("a.txt") + ":2: CustomerID \"x1\" is not an integer in 1..2147483647: \"x1,4,2005-02-01\"",
                failure(write(dir, "a.txt", "1:\nx1,4,2005-02-01\n")));
        assertEquals(dir.resolve("b.txt") + ":2: Rating \"4.5\" is not an integer (expected 1..5): \"9,4.5,2005-02-01\"",
                failure(write(dir, "b.txt", "1:\n9,4.5,2005-02-01\n")));
    }

    @Test
    void aRatingBeforeAnyMovieLineFails(@TempDir Path dir) throws Exception {
        Path f = write(dir, "c.txt", "9,4,2005-02-01\n1:\n");
        assertEquals(f + ":1: rating line before any MovieID: line: \"9,4,2005-02-01\"", failure(f));
    }

    @Test
    void aMalformedMovieLineFails(@TempDir Path dir) throws Exception {
        Path f = write(dir, "c.txt", "1:\n9,4,2005-02-01\nMovie 2:\n9,4,2005-02-01\n");
        assertEquals(f + ":3: malformed MovieID line (expected a positive integer followed by ':'): \"Movie 2:\"", failure(f));
    }

    @Test
    void nonAsciiBytesFail(@TempDir Path dir) throws Exception {
        Path f = write(dir, "c.txt", "1:\n9,4,2005-02-01\u00e9\n");
        assertEquals(f + ":2: unexpected byte 0xE9 at column 15 (expected ASCII CustomerID,Rating,YYYY-MM-DD): "
                + "\"9,4,2005-02-01\u00e9\"", failure(f));
    }

    @Test
    void utf16TextIsRefusedAsAnUnknownEncodingEvenWhenSkipping(@TempDir Path dir) throws Exception {
        Path f = dir.resolve("c.txt");
        Files.write(f, "1:\n9,4,2005-02-01\n".getBytes(StandardCharsets.UTF_16LE));
        MalformedDataException e = assertThrows(MalformedDataException.class,
                () -> READER.onError(OnError.SKIP).read(List.of(f)));
        assertEquals(f + ":1: unknown encoding: NUL bytes (UTF-16 or binary?) (expected ASCII text: MovieID: and "
                + "CustomerID,Rating,YYYY-MM-DD lines): \"1\\x00:\\x00\"", e.getMessage());
    }

    @Test
    void theLineNumberIsRightDeepInAFileReadInSmallChunks(@TempDir Path dir) throws Exception {
        StringBuilder sb = new StringBuilder("1:\n");
        for (int i = 1; i <= 5000; i++) sb.append(i).append(",3,2005-01-01\n");
        sb.append("2:\n77,6,2005-01-01\n");
        Path f = write(dir, "c.txt", sb.toString());
        MalformedDataException e = assertThrows(MalformedDataException.class,
                () -> new NetflixPrizeReader(OnError.FAIL, 2, 1000).read(List.of(f)));
        assertEquals(5003, e.line());
    }

    @Test
    void skipModeCountsBadLinesReportsThemAndKeepsTheRest(@TempDir Path dir) throws Exception {
        Path f = write(dir, "c.txt", String.join("\n",
                "5,1,2005-01-01",           // 1: before any movie
                "1:",                        // 2
                "10,3,2005-01-01",           // 3: kept
                "11,9,2005-01-01",           // 4: rating out of range
                "12,3,2005-13-01",           // 5: bad date
                "x:",                        // 6: bad movie line
                "13,3,2005-01-01",           // 7: under a bad movie line
                "2:",                        // 8
                "14,5,2005-01-02",           // 9: kept
                ""));
        NetflixPrizeRatings r = new NetflixPrizeReader(OnError.SKIP, 2, 8).read(List.of(f));
        assertEquals(2, r.size());
        assertArrayEquals(new int[] {10, 14}, r.users().raws());
        assertArrayEquals(new int[] {1, 2}, r.movies().raws());
        assertEquals(5, r.skippedLines());
        assertEquals(List.of(
                f + ":1: rating line before any MovieID: line: \"5,1,2005-01-01\"",
                f + ":4: Rating 9 out of range (expected 1..5): \"11,9,2005-01-01\"",
                f + ":5: date \"2005-13-01\" is not a valid YYYY-MM-DD date: \"12,3,2005-13-01\"",
                f + ":6: malformed MovieID line (expected a positive integer followed by ':'): \"x:\"",
                f + ":7: rating line under a malformed MovieID: line: \"13,3,2005-01-01\""), r.problems());
    }

    @Test
    void filesAreReadInOrderWithLineNumbersPerFile(@TempDir Path dir) throws Exception {
        Path a = write(dir, "combined_data_1.txt", "1:\n1,1,2005-01-01\n");
        Path b = write(dir, "combined_data_2.txt", "2:\n2,2,2005-01-01\n2,0,2005-01-01\n");
        NetflixPrizeRatings ok = READER.read(List.of(a));
        assertEquals(1, ok.size());
        MalformedDataException e = assertThrows(MalformedDataException.class, () -> READER.read(List.of(a, b)));
        assertEquals(b + ":3: Rating 0 out of range (expected 1..5): \"2,0,2005-01-01\"", e.getMessage());
    }
}
