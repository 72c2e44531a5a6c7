package org.cinelab.data.sets;

import org.cinelab.data.IdIndex;
import org.cinelab.data.RatingTable;
import org.cinelab.data.catalog.DatasetException;

import java.io.BufferedReader;
import java.io.IOException;
import java.nio.charset.Charset;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * Reads {@code user SEP item SEP rating SEP timestamp} lines (MovieLens {@code u.data},
 * {@code ratings.dat}, {@code ratings.csv}) into primitive columns with dense ids. A malformed line
 * fails with the file, line number and text, or is skipped and counted under {@link OnError#SKIP}.
 */
public final class DelimitedRatingsReader {

    /** What a malformed line does: stop the load, or skip it and count it. */
    public enum OnError { FAIL, SKIP;
        public static OnError parse(Object value) {
            return value == null ? FAIL : OnError.valueOf(value.toString().trim().toUpperCase(java.util.Locale.ROOT));
        }
    }

    /** The ratings of one file; {@code skippedLines} lists the first few skipped lines for the log. */
    public record Result(RatingTable table, IdIndex users, IdIndex items, int skipped, List<String> skippedLines) {}

    private final String separator;
    private final boolean header;
    private final Charset charset;
    private final float minRating;
    private final float maxRating;

    public DelimitedRatingsReader(String separator, boolean header, Charset charset, float minRating, float maxRating) {
        this.separator = separator;
        this.header = header;
        this.charset = charset;
        this.minRating = minRating;
        this.maxRating = maxRating;
    }

    public Result read(Path file, OnError onError) throws IOException {
        return read(file, onError, new IdIndex(), new IdIndex());
    }

    /**
     * Reads into existing id indexes, so that several files (a train and a test file) share one
     * id space; ids already in the indexes keep their dense ids.
     */
    public Result read(Path file, OnError onError, IdIndex users, IdIndex items) throws IOException {
        int[] u = new int[1 << 16];
        int[] it = new int[1 << 16];
        float[] r = new float[1 << 16];
        long[] t = new long[1 << 16];
        int n = 0;
        int skipped = 0;
        List<String> skippedLines = new ArrayList<>();
        String name = file.getFileName().toString();
        try (BufferedReader in = new BufferedReader(new java.io.InputStreamReader(Files.newInputStream(file),
                charset.newDecoder().onMalformedInput(CodingErrorAction.REPORT).onUnmappableCharacter(CodingErrorAction.REPORT)), 1 << 16)) {
            int lineNo = 0;
            String line;
            while ((line = readLine(in, file, lineNo + 1)) != null) {
                lineNo++;
                if (header && lineNo == 1) continue;
                if (!line.isEmpty() && line.charAt(line.length() - 1) == '\r') line = line.substring(0, line.length() - 1);
                String problem = null;
                long user = 0, item = 0, ts = 0;
                float rating = 0;
                int a = line.indexOf(separator);
                int b = a < 0 ? -1 : line.indexOf(separator, a + separator.length());
                int c = b < 0 ? -1 : line.indexOf(separator, b + separator.length());
                if (c < 0 || line.indexOf(separator, c + separator.length()) >= 0) {
                    problem = "expected 4 fields user" + separator + "item" + separator + "rating" + separator + "timestamp";
                } else {
                    try {
                        user = Long.parseLong(line.substring(0, a).trim());
                        item = Long.parseLong(line.substring(a + separator.length(), b).trim());
                        rating = Float.parseFloat(line.substring(b + separator.length(), c).trim());
                        ts = Long.parseLong(line.substring(c + separator.length()).trim());
                        if (!(rating >= minRating && rating <= maxRating)) {
                            problem = "rating " + line.substring(b + separator.length(), c) + " out of range [" + fmt(minRating) + ", " + fmt(maxRating) + "]";
                        }
                    } catch (NumberFormatException e) {
                        problem = "not a number (" + e.getMessage() + ")";
                    }
                }
                if (problem != null) {
                    String message = name + " line " + lineNo + ": " + problem + ": \"" + line + "\"";
                    if (onError == OnError.FAIL) throw new DatasetException(message + " (dataset option on_error: skip skips such lines)");
                    skipped++;
                    if (skippedLines.size() < 5) skippedLines.add(message);
                    continue;
                }
                if (n == u.length) {
                    int cap = n + (n >> 1);
                    u = Arrays.copyOf(u, cap);
                    it = Arrays.copyOf(it, cap);
                    r = Arrays.copyOf(r, cap);
                    t = Arrays.copyOf(t, cap);
                }
                u[n] = users.add(user);
                it[n] = items.add(item);
                r[n] = rating;
                t[n] = ts;
                n++;
            }
        }
        RatingTable table = new RatingTable(Arrays.copyOf(u, n), Arrays.copyOf(it, n), Arrays.copyOf(r, n), Arrays.copyOf(t, n));
        return new Result(table, users, items, skipped, List.copyOf(skippedLines));
    }

    /** {@link BufferedReader#readLine()}, turning an undecodable byte into an error that names the line. */
    static String readLine(BufferedReader in, Path file, int lineNo) throws IOException {
        try {
            return in.readLine();
        } catch (CharacterCodingException e) {
            throw new DatasetException(file.getFileName() + " at or after line " + lineNo + ": bytes that are not valid text in the expected encoding", e);
        }
    }

    private static String fmt(float f) {
        return f == Math.rint(f) ? Integer.toString((int) f) : Float.toString(f);
    }
}
