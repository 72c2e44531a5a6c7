package org.cinelab.data.netflix;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * Parses one chunk of Netflix Prize text from bytes into a slice of the shared output columns.
 * Well-formed rating lines take a branch-light fast path; only a line that fails it is turned
 * into a String, to be told apart as a header, a blank line or a specific problem.
 */
final class RatingChunkParser {
    /** No {@code MovieID:} line seen yet. */
    static final int NO_MOVIE = 0;
    /** The last {@code MovieID:} line was malformed. */
    static final int BAD_MOVIE = -1;

    record Result(int written, long skipped, List<String> problems, int maxUser, int maxMovie) {}

    private final Path file;
    private final OnError onError;
    private final int[] users;
    private final int[] items;
    private final float[] ratings;
    private final long[] times;
    private long skipped;
    private final List<String> problems = new ArrayList<>();

    RatingChunkParser(Path file, OnError onError, int[] users, int[] items, float[] ratings, long[] times) {
        this.file = file;
        this.onError = onError;
        this.users = users;
        this.items = items;
        this.ratings = ratings;
        this.times = times;
    }

    /** The movie id of a header line {@code [from, to)} ({@code 123:} with an optional CR), or {@link #BAD_MOVIE}. */
    static int headerMovie(byte[] b, int from, int to) {
        if (to > from && b[to - 1] == '\r') to--;
        if (to - from < 2 || to - from > 11 || b[to - 1] != ':') return BAD_MOVIE;
        long id = 0;
        for (int i = from; i < to - 1; i++) {
            int d = b[i] - '0';
            if (d < 0 || d > 9) return BAD_MOVIE;
            id = id * 10 + d;
        }
        return id >= 1 && id <= Integer.MAX_VALUE ? (int) id : BAD_MOVIE;
    }

    Result parse(byte[] b, int n, long firstLine, int startMovie, int offset, int slots) throws MalformedDataException {
        int movie = startMovie;
        int out = offset;
        int end = offset + slots;
        int maxUser = 0;
        int maxMovie = 0;
        long line = firstLine;
        int p = 0;
        while (p < n) {
            int lineStart = p;
            long user = 0;
            int digits = 0;
            int d;
            while (p < n && (d = b[p] - '0') >= 0 && d <= 9) {
                user = user * 10 + d;
                p++;
                digits++;
            }
            int rating;
            long day;
            if (movie > 0 && digits > 0 && digits <= 10 && user <= Integer.MAX_VALUE && user > 0
                    && p + 13 <= n && b[p] == ',' && b[p + 2] == ','
                    && (rating = b[p + 1] - '0') >= 1 && rating <= 5
                    && (day = CalendarDates.epochDay(b, p + 3)) != CalendarDates.INVALID
                    && lineEndsAt(b, p + 13, n)) {
                if (out == end) throw new IllegalStateException(file + ": more rating lines than counted in chunk");
                users[out] = (int) user;
                items[out] = movie;
                ratings[out] = rating;
                times[out] = day * CalendarDates.SECONDS_PER_DAY;
                out++;
                if (user > maxUser) maxUser = (int) user;
                p += 13;
                if (p < n && b[p] == '\r') p++;
                p++;
                line++;
                continue;
            }
            int lineEnd = lineStart;
            while (lineEnd < n && b[lineEnd] != '\n') lineEnd++;
            movie = slowLine(b, lineStart, lineEnd, line, movie);
            if (movie > maxMovie) maxMovie = movie;
            p = lineEnd + 1;
            line++;
        }
        return new Result(out - offset, skipped, problems, maxUser, Math.max(maxMovie, startMovie));
    }

    private static boolean lineEndsAt(byte[] b, int p, int n) {
        return p == n || b[p] == '\n' || b[p] == '\r' && (p + 1 == n || b[p + 1] == '\n');
    }

    /** A line the fast path did not take: a header, a blank line or a problem. Returns the movie in force after it. */
    private int slowLine(byte[] b, int from, int to, long line, int movie) throws MalformedDataException {
        int contentEnd = to > from && b[to - 1] == '\r' ? to - 1 : to;
        String text = new String(b, from, contentEnd - from, StandardCharsets.ISO_8859_1);
        if (text.isEmpty()) return movie;
        if (text.indexOf(':') >= 0) {
            int id = headerMovie(b, from, to);
            if (id == BAD_MOVIE) {
                problem(line, "malformed MovieID line (expected a positive integer followed by ':')", text);
            }
            return id;
        }
        problem(line, ratingProblem(text, movie), text);
        return movie;
    }

    static String ratingProblem(String text, int movie) {
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            if (c > 0x7e || c < 0x20) {
                return String.format("unexpected byte 0x%02X at column %d (expected ASCII CustomerID,Rating,YYYY-MM-DD)",
                        (int) c, i + 1);
            }
        }
        String[] f = text.split(",", -1);
        if (f.length != 3) {
            return "expected 3 comma-separated fields CustomerID,Rating,YYYY-MM-DD, found " + f.length;
        }
        long user = positiveInt(f[0]);
        if (user < 1) return "CustomerID \"" + f[0] + "\" is not an integer in 1.." + Integer.MAX_VALUE;
        long rating = positiveInt(f[1]);
        if (rating < 0) return "Rating \"" + f[1] + "\" is not an integer (expected 1..5)";
        if (rating < 1 || rating > 5) return "Rating " + f[1] + " out of range (expected 1..5)";
        byte[] date = f[2].getBytes(StandardCharsets.ISO_8859_1);
        if (date.length != 10 || CalendarDates.epochDay(date, 0) == CalendarDates.INVALID) {
            return "date \"" + f[2] + "\" is not a valid YYYY-MM-DD date";
        }
        if (movie == NO_MOVIE) return "rating line before any MovieID: line";
        if (movie == BAD_MOVIE) return "rating line under a malformed MovieID: line";
        return "expected CustomerID,Rating,YYYY-MM-DD";
    }

    /** The value of 1-10 decimal digits up to Integer.MAX_VALUE, 0 for zero, -1 otherwise. */
    private static long positiveInt(String s) {
        if (s.isEmpty() || s.length() > 10) return -1;
        long v = 0;
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            if (c < '0' || c > '9') return -1;
            v = v * 10 + (c - '0');
        }
        return v <= Integer.MAX_VALUE ? v : -1;
    }

    private void problem(long line, String problem, String text) throws MalformedDataException {
        if (onError == OnError.FAIL) throw new MalformedDataException(file, line, problem, text);
        skipped++;
        if (problems.size() < NetflixPrizeReader.MAX_REPORTED_PROBLEMS) {
            problems.add(MalformedDataException.describe(file, line, problem, text));
        }
    }
}
