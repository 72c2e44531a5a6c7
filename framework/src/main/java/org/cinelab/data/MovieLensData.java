package org.cinelab.data;

import java.io.IOException;
import java.nio.file.Path;

/**
 * A MovieLens release as loaded: the ratings in primitive columns with dense ids, the maps back to
 * raw ids, and the movie (and, for 1M, user) metadata indexed by dense id.
 *
 * @param titles          movie title by dense item id (null for a rated movie missing from the movie file)
 * @param genres          {@code |}-separated genres by dense item id
 * @param catalogMovies   movies listed in the movie file, rated or not
 * @param demographics    user demographics by dense user id, or null when the release has none
 * @param skippedLines    malformed lines skipped under {@code on_error: skip}
 * @param dataSha256      SHA-256 over the source files read (name and checksum of each)
 */
public record MovieLensData(RatingTable ratings, IdIndex users, IdIndex items, String[] titles, String[] genres,
                            int catalogMovies, Demographics demographics, int skippedLines, String dataSha256) {

    /** Per-user columns of {@code users.dat}: gender (M/F), age bracket, occupation code, zip code. */
    public record Demographics(char[] gender, int[] age, int[] occupation, String[] zip) {}

    /** SHA-256 over "name sha256" lines of the given files, so that the data's identity is one value. */
    public static String sourcesSha256(Path folder, String... files) throws IOException {
        StringBuilder sb = new StringBuilder();
        for (String f : files) sb.append(f).append(' ').append(Checksums.sha256(folder.resolve(f))).append('\n');
        return Checksums.sha256(sb.toString());
    }
}
