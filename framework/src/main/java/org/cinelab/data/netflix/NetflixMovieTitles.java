package org.cinelab.data.netflix;

import java.io.IOException;
import java.nio.charset.Charset;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import java.util.OptionalInt;

/**
 * The Netflix Prize {@code movie_titles.txt}: lines {@code MovieID,YearOfRelease,Title} in
 * ISO-8859-1, no header. Titles may contain commas, so only the first two commas split; the year
 * may be {@code NULL}. A file starting with a UTF-8 byte-order mark is read as UTF-8 (a re-saved
 * copy); UTF-16 text or NUL bytes are refused as an unknown encoding.
 */
public final class NetflixMovieTitles {
    private final int[] movieIds;
    private final int[] years;
    private final String[] titles;
    private final long skippedLines;
    private final List<String> problems;

    private NetflixMovieTitles(int[] movieIds, int[] years, String[] titles, long skippedLines, List<String> problems) {
        this.movieIds = movieIds;
        this.years = years;
        this.titles = titles;
        this.skippedLines = skippedLines;
        this.problems = List.copyOf(problems);
    }

    public static NetflixMovieTitles read(Path file) throws IOException {
        return read(file, OnError.FAIL);
    }

    public static NetflixMovieTitles read(Path file, OnError onError) throws IOException {
        byte[] bytes = Files.readAllBytes(file);
        int start = 0;
        Charset charset = StandardCharsets.ISO_8859_1;
        if (bytes.length >= 3 && (bytes[0] & 0xff) == 0xEF && (bytes[1] & 0xff) == 0xBB && (bytes[2] & 0xff) == 0xBF) {
            start = 3;
            charset = StandardCharsets.UTF_8;
        } else if (bytes.length >= 2 && ((bytes[0] & 0xff) == 0xFE && (bytes[1] & 0xff) == 0xFF
                || (bytes[0] & 0xff) == 0xFF && (bytes[1] & 0xff) == 0xFE)) {
            throw new MalformedDataException(file, 1,
                    "unknown encoding: UTF-16 byte-order mark (expected ISO-8859-1 text)", "");
        }
        String text = new String(bytes, start, bytes.length - start, charset);
        List<String> problems = new ArrayList<>();
        long skipped = 0;
        int n = 0;
        int[] ids = new int[1024];
        int[] years = new int[1024];
        List<String> titles = new ArrayList<>();
        long lineNo = 0;
        int pos = 0;
        while (pos < text.length()) {
            int nl = text.indexOf('\n', pos);
            int end = nl < 0 ? text.length() : nl;
            String line = text.substring(pos, end > pos && text.charAt(end - 1) == '\r' ? end - 1 : end);
            pos = end + 1;
            lineNo++;
            if (line.isEmpty()) continue;
            String problem = problemOf(line);
            if (problem != null) {
                if (onError == OnError.FAIL) throw new MalformedDataException(file, lineNo, problem, line);
                skipped++;
                if (problems.size() < NetflixPrizeReader.MAX_REPORTED_PROBLEMS) {
                    problems.add(MalformedDataException.describe(file, lineNo, problem, line));
                }
                continue;
            }
            int c1 = line.indexOf(',');
            int c2 = line.indexOf(',', c1 + 1);
            if (n == ids.length) {
                ids = Arrays.copyOf(ids, n * 2);
                years = Arrays.copyOf(years, n * 2);
            }
            ids[n] = Integer.parseInt(line.substring(0, c1));
            String year = line.substring(c1 + 1, c2);
            years[n] = year.equals("NULL") ? 0 : Integer.parseInt(year);
            titles.add(line.substring(c2 + 1));
            n++;
        }
        return new NetflixMovieTitles(Arrays.copyOf(ids, n), Arrays.copyOf(years, n),
                titles.toArray(new String[0]), skipped, problems);
    }

    private static String problemOf(String line) {
        for (int i = 0; i < line.length(); i++) {
            if (line.charAt(i) == 0) return "unknown encoding: NUL byte at column " + (i + 1) + " (expected ISO-8859-1 text)";
        }
        int c1 = line.indexOf(',');
        int c2 = c1 < 0 ? -1 : line.indexOf(',', c1 + 1);
        if (c2 < 0) return "expected MovieID,YearOfRelease,Title";
        String id = line.substring(0, c1);
        if (!isDigits(id, 1, 10) || Long.parseLong(id) < 1 || Long.parseLong(id) > Integer.MAX_VALUE) {
            return "MovieID \"" + id + "\" is not a positive integer";
        }
        String year = line.substring(c1 + 1, c2);
        if (!year.equals("NULL") && !isDigits(year, 4, 4)) return "YearOfRelease \"" + year + "\" is not a 4-digit year or NULL";
        return null;
    }

    private static boolean isDigits(String s, int minLen, int maxLen) {
        if (s.length() < minLen || s.length() > maxLen) return false;
        for (int i = 0; i < s.length(); i++) if (s.charAt(i) < '0' || s.charAt(i) > '9') return false;
        return true;
    }

    public int size() { return movieIds.length; }

    public int movieId(int row) { return movieIds[row]; }

    /** Year of release, empty where the file says NULL. */
    public OptionalInt year(int row) { return years[row] == 0 ? OptionalInt.empty() : OptionalInt.of(years[row]); }

    public String title(int row) { return titles[row]; }

    /** The row of a MovieID, or -1; O(1) for the original file, where MovieID n is on row n-1. */
    public int rowOf(int movieId) {
        int guess = movieId - 1;
        if (guess >= 0 && guess < movieIds.length && movieIds[guess] == movieId) return guess;
        for (int r = 0; r < movieIds.length; r++) if (movieIds[r] == movieId) return r;
        return -1;
    }

    public Optional<String> titleOf(int movieId) {
        int r = rowOf(movieId);
        return r < 0 ? Optional.empty() : Optional.of(titles[r]);
    }

    public long skippedLines() { return skippedLines; }

    public List<String> problems() { return problems; }
}
