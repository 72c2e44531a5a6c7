package org.cinelab.data.sets;

import org.cinelab.data.DatasetProvider;
import org.cinelab.data.DatasetRequest;
import org.cinelab.data.MovieLensData;
import org.cinelab.data.PreparedData;
import org.cinelab.data.RatingSplits;
import org.cinelab.data.sets.DelimitedRatingsReader.OnError;
import org.cinelab.data.catalog.DatasetException;
import org.cinelab.data.catalog.DatasetInstaller;
import org.cinelab.data.split.RatingSplitter;
import org.cinelab.space.HyperParameter;

import java.io.BufferedReader;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.Map;

/**
 * MovieLens 1M: 1,000,209 ratings (1-5 stars) by 6,040 users of 3,706 movies, in the
 * {@code ::}-separated {@code ratings.dat}, {@code users.dat} and latin-1 {@code movies.dat}.
 * Fetched from GroupLens on first use; split by {@link RatingSplitter}.
 */
public final class MovieLens1m implements DatasetProvider {
    public static final String NAME = "movielens-1m";
    private static final String SEP = "::";

    public String name() { return NAME; }
    public Class<? extends PreparedData> dataType() { return RatingSplits.class; }
    public List<String> splits() { return RatingSplitter.SPLITS; }
    public List<HyperParameter> options() { return RatingSplitter.options(); }

    public PreparedData load(DatasetRequest request) throws IOException {
        Path folder = DatasetInstaller.ensureInstalled(NAME, request.dataDir(), request.log());
        Map<String, Object> options = request.options() == null ? Map.of() : request.options();
        OnError onError = OnError.parse(options.get("on_error"));
        MovieLensData data = read(folder, onError);
        if (data.skippedLines() > 0 && request.log() != null) request.log().accept(NAME + ": skipped " + data.skippedLines() + " malformed line(s)");
        return RatingSplitter.split(data.ratings(), data.users().size(), data.items().size(), 1f, 5f, data.dataSha256(), request.split(),
                options, request.seed(), Map.of("dataset.name", NAME, "dataset.on_error", onError.name().toLowerCase(java.util.Locale.ROOT),
                        "dataset.skipped_lines", Integer.toString(data.skippedLines())));
    }

    /** Reads ratings, movies and users from an {@code ml-1m} folder. */
    public static MovieLensData read(Path folder, OnError onError) throws IOException {
        DelimitedRatingsReader.Result r = new DelimitedRatingsReader(SEP, false, StandardCharsets.ISO_8859_1, 1f, 5f)
                .read(folder.resolve("ratings.dat"), onError);
        int items = r.items().size();
        String[] titles = new String[items];
        String[] genres = new String[items];
        int[] skipped = {r.skipped()};
        int catalogMovies = readLines(folder.resolve("movies.dat"), 3, onError, skipped, (f, lineNo) -> {
            int item = r.items().denseOf(parseId(f[0]));
            if (item >= 0) {
                titles[item] = f[1];
                genres[item] = f[2];
            }
        });
        int users = r.users().size();
        char[] gender = new char[users];
        int[] age = new int[users];
        int[] occupation = new int[users];
        String[] zip = new String[users];
        Arrays.fill(age, -1);
        Arrays.fill(occupation, -1);
        readLines(folder.resolve("users.dat"), 5, onError, skipped, (f, lineNo) -> {
            int user = r.users().denseOf(parseId(f[0]));
            if (!f[1].equals("M") && !f[1].equals("F")) throw new NumberFormatException("gender '" + f[1] + "' is not M or F");
            if (user >= 0) {
                gender[user] = f[1].charAt(0);
                age[user] = Integer.parseInt(f[2]);
                occupation[user] = Integer.parseInt(f[3]);
                zip[user] = f[4];
            }
        });
        String sha = MovieLensData.sourcesSha256(folder, "ratings.dat", "movies.dat", "users.dat");
        return new MovieLensData(r.table(), r.users(), r.items(), titles, genres, catalogMovies,
                new MovieLensData.Demographics(gender, age, occupation, zip), skipped[0], sha);
    }

    private interface LineHandler {
        void accept(String[] fields, int lineNo);
    }

    /** Reads a latin-1 {@code ::}-separated file of {@code arity} fields per line; returns the lines read. */
    private static int readLines(Path file, int arity, OnError onError, int[] skipped, LineHandler handler) throws IOException {
        String name = file.getFileName().toString();
        int lineNo = 0;
        int read = 0;
        try (BufferedReader in = Files.newBufferedReader(file, StandardCharsets.ISO_8859_1)) {
            for (String line; (line = in.readLine()) != null; ) {
                lineNo++;
                String[] f = line.split(SEP, -1);
                String problem = null;
                if (f.length != arity) {
                    problem = "expected " + arity + " '" + SEP + "'-separated fields, got " + f.length;
                } else {
                    try {
                        handler.accept(f, lineNo);
                        read++;
                    } catch (NumberFormatException e) {
                        problem = e.getMessage();
                    }
                }
                if (problem != null) {
                    String message = name + " line " + lineNo + ": " + problem + ": \"" + line + "\"";
                    if (onError == OnError.FAIL) throw new DatasetException(message + " (dataset option on_error: skip skips such lines)");
                    skipped[0]++;
                }
            }
        }
        return read;
    }

    private static long parseId(String s) {
        try {
            return Long.parseLong(s.trim());
        } catch (NumberFormatException e) {
            throw new NumberFormatException("id '" + s + "' is not a number");
        }
    }
}
