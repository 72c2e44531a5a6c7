package org.cinelab.data;

import org.cinelab.data.sets.SyntheticMovieLens;
import org.cinelab.data.sets.MovieLens100k;
import org.cinelab.testing.SharedData;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.*;

class MovieLens100kFeaturesTest {

    private static final String ZEROS = "|0".repeat(19);

    /** A three-user, three-movie folder in MovieLens-100k's format, written in Latin-1 as the real one is. */
    private static Path tinyFolder(Path tmp, String users) throws Exception {
        Path dir = Files.createDirectories(tmp.resolve("ml-100k"));
        Files.writeString(dir.resolve("u.occupation"), "administrator\nartist\ntechnician\n", StandardCharsets.ISO_8859_1);
        Files.writeString(dir.resolve("u.user"), users, StandardCharsets.ISO_8859_1);
        String drama = "|0|0|0|0|0|0|0|0|1|0|0|0|0|0|0|0|0|0|0";
        String actionWar = "|0|1|0|0|0|0|0|0|0|0|0|0|0|0|0|0|0|1|0";
        Files.writeString(dir.resolve("u.item"),
                "2|Misérables, Les (1995)|01-Jan-1995||http://x" + drama + "\n"
                        + "1|Children's Crusade, The (1995)|05-Oct-1995||http://y" + actionWar + "\n"
                        + "3|unknown||||1" + ZEROS.substring(2) + "\n",
                StandardCharsets.ISO_8859_1);
        return dir;
    }

    private static final String USERS = "1|24|M|technician|85711\n2|53|F|artist|T8H1N\n3|17|M|administrator|02138\n";

    @Test
    void usersAreIndexedByRawIdMinusOneWithTfdsAgeBucketsAndZipPrefixes(@TempDir Path tmp) throws Exception {
        MovieLensFeatures.Users u = MovieLens100kFeatures.read(tinyFolder(tmp, USERS)).users();
        assertEquals(3, u.count());
        assertArrayEquals(new int[] {24, 53, 17}, u.age());
        assertArrayEquals(new int[] {1, 5, 0}, u.ageBucket()); // 18-24, 50-55, under 18
        assertArrayEquals(new int[] {1, 0, 1}, u.gender());
        assertEquals(List.of("technician", "artist", "administrator"),
                Arrays.stream(u.occupation()).mapToObj(u.occupations()::get).toList());
        assertArrayEquals(new int[] {8, 10, 0}, u.zipPrefix()); // a Canadian postal code is "other"
        assertEquals("T8H1N", u.zipCode()[1]);
    }

    @Test
    void ageBucketsFollowTensorflowDatasetsThresholds() {
        int[] ages = {7, 17, 18, 24, 25, 34, 35, 44, 45, 49, 50, 55, 56, 73};
        int[] labels = Arrays.stream(ages).map(a -> MovieLensFeatures.Users.AGE_BUCKETS.get(MovieLensFeatures.Users.ageBucketOf(a))).toArray();
        assertArrayEquals(new int[] {1, 1, 18, 18, 25, 25, 35, 35, 45, 45, 50, 50, 56, 56}, labels);
    }

    @Test
    void moviesDecodeLatin1TitlesYearsGenresAndTitleTokens(@TempDir Path tmp) throws Exception {
        MovieLensFeatures.Movies m = MovieLens100kFeatures.read(tinyFolder(tmp, USERS)).movies();
        assertEquals(3, m.count());
        assertEquals("Misérables, Les (1995)", m.title()[1]);
        assertArrayEquals(new int[] {1995, 1995, MovieLensFeatures.Movies.UNKNOWN_YEAR}, m.releaseYear());
        assertTrue(m.hasGenre(1, 8) && !m.hasGenre(1, 1));
        assertTrue(m.hasGenre(0, 1) && m.hasGenre(0, 17));
        assertEquals(1f, m.genreVector(2)[0]);
        assertEquals(List.of("childrens", "crusade", "the", "1995"), MovieLens100kFeatures.tokenize(m.title()[0]));
        // "1995" appears twice, so it is the first real token; the rest are alphabetical
        assertEquals(List.of("", "[UNK]", "1995", "childrens", "crusade", "les", "misérables", "the", "unknown"), m.titleVocabulary());
        assertArrayEquals(new int[] {6, 5, 2}, m.titleTokens()[1]);
    }

    @Test
    void aBadFieldIsReportedWithFileLineAndField(@TempDir Path tmp) throws Exception {
        Path dir = tinyFolder(tmp, "1|24|M|technician|85711\n2|53|X|artist|T8H1N\n");
        var e = assertThrows(DataFormatException.class, () -> MovieLens100kFeatures.read(dir));
        assertTrue(e.getMessage().contains("u.user:2: field 'gender': 'X', expected M or F"), e.getMessage());
        Path gap = tinyFolder(tmp.resolve("gap"), "1|24|M|technician|85711\n5|53|F|artist|T8H1N\n");
        var g = assertThrows(DataFormatException.class, () -> MovieLens100kFeatures.read(gap));
        assertTrue(g.getMessage().contains("u.user:2: field 'user id': 5 is outside 1..2"), g.getMessage());
    }

    @Test
    void theRealFilesHold943UsersAnd1682MoviesWithLatin1Titles() throws Exception {
        Path dir = SharedData.dir(MovieLens100k.FOLDER);
        MovieLensFeatures f = MovieLens100kFeatures.read(dir);
        assertEquals(943, f.users().count());
        assertEquals(1682, f.movies().count());
        assertEquals("Misérables, Les (1995)", f.movies().title()[543 - 1]);
        assertEquals("Toy Story (1995)", f.movies().title()[0]);
        assertEquals(MovieLensFeatures.Movies.UNKNOWN_YEAR, f.movies().releaseYear()[267 - 1]);
        assertEquals(21, f.users().occupations().size());
        assertEquals(670, Arrays.stream(f.users().gender()).sum());
        assertEquals(18, Arrays.stream(f.users().zipPrefix()).filter(p -> p == 10).count());
        assertEquals(36, Arrays.stream(f.users().ageBucket()).filter(b -> b == 0).count());
        assertEquals(725, Arrays.stream(f.movies().genres()).filter(g -> (g >>> 8 & 1) == 1).count()); // Drama
        assertEquals(2, Arrays.stream(f.movies().genres()).filter(g -> (g & 1) == 1).count());         // unknown
    }

    @Test
    void theProviderWrapsTheU1SplitWithFeaturesWhenAsked() throws Exception {
        Path data = SharedData.require();
        var request = new DatasetRequest("u1", Map.of("features", true), 1, data, s -> {});
        PreparedData loaded = new MovieLens100k().load(request);
        FeaturedRatingSplits featured = assertInstanceOf(FeaturedRatingSplits.class, loaded);
        RatingSplits ratings = FeaturedRatingSplits.ratingsOf(loaded);
        assertEquals(80_000, ratings.train().size() + ratings.validation().size());
        assertEquals(20_000, ratings.test().size());
        assertEquals("true", featured.params().get("dataset.features"));
        assertNotEquals(ratings.splitId(), featured.splitId());
        assertTrue(FeaturedRatingSplits.featuresOf(loaded).isPresent());

        PreparedData plain = new MovieLens100k().load(new DatasetRequest("u1", Map.of(), 1, data, s -> {}));
        assertInstanceOf(RatingSplits.class, plain);
        assertTrue(FeaturedRatingSplits.featuresOf(plain).isEmpty());
        assertEquals(ratings.splitId(), ((RatingSplits) plain).splitId());
    }

    @Test
    void featuresOnGeneratedDataWithoutUserFilesSayWhichFileIsMissing(@TempDir Path tmp) throws Exception {
        SyntheticMovieLens.write(tmp, 200, 50, 1);
        var request = new DatasetRequest("u1", Map.of("features", true), 1, tmp, s -> {});
        var e = assertThrows(DataFormatException.class, () -> new MovieLens100k().load(request));
        assertTrue(e.getMessage().contains("u.occupation: missing") || e.getMessage().contains("u.user: missing"), e.getMessage());
    }
}
