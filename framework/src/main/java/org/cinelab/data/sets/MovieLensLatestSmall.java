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
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * MovieLens latest-small (release of 2018-09-26): 100,836 half-star ratings (0.5-5) by 610 users of
 * 9,724 movies, in {@code ratings.csv} and {@code movies.csv} (UTF-8, CRLF, quoted titles).
 * Fetched from GroupLens on first use; split by {@link RatingSplitter}.
 */
public final class MovieLensLatestSmall implements DatasetProvider {
    public static final String NAME = "movielens-latest-small";
    static final String RATINGS_HEADER = "userId,movieId,rating,timestamp";
    static final String MOVIES_HEADER = "movieId,title,genres";

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
        return RatingSplitter.split(data.ratings(), data.users().size(), data.items().size(), 0.5f, 5f, data.dataSha256(), request.split(),
                options, request.seed(), Map.of("dataset.name", NAME, "dataset.on_error", onError.name().toLowerCase(java.util.Locale.ROOT),
                        "dataset.skipped_lines", Integer.toString(data.skippedLines())));
    }

    /** Reads ratings and movies from an {@code ml-latest-small} folder. */
    public static MovieLensData read(Path folder, OnError onError) throws IOException {
        requireHeader(folder.resolve("ratings.csv"), RATINGS_HEADER);
        requireHeader(folder.resolve("movies.csv"), MOVIES_HEADER);
        DelimitedRatingsReader.Result r = new DelimitedRatingsReader(",", true, StandardCharsets.UTF_8, 0.5f, 5f)
                .read(folder.resolve("ratings.csv"), onError);
        String[] titles = new String[r.items().size()];
        String[] genres = new String[r.items().size()];
        int skipped = r.skipped();
        int catalogMovies = 0;
        Path movies = folder.resolve("movies.csv");
        try (BufferedReader in = Files.newBufferedReader(movies, StandardCharsets.UTF_8)) {
            in.readLine();
            int lineNo = 1;
            for (String line; (line = in.readLine()) != null; ) {
                lineNo++;
                if (line.endsWith("\r")) line = line.substring(0, line.length() - 1);
                List<String> f = csvFields(line);
                String problem = f == null ? "unbalanced quotes" : f.size() != 3 ? "expected 3 fields movieId,title,genres, got " + f.size() : null;
                long id = 0;
                if (problem == null) {
                    try {
                        id = Long.parseLong(f.get(0));
                    } catch (NumberFormatException e) {
                        problem = "movieId '" + f.get(0) + "' is not a number";
                    }
                }
                if (problem != null) {
                    String message = "movies.csv line " + lineNo + ": " + problem + ": \"" + line + "\"";
                    if (onError == OnError.FAIL) throw new DatasetException(message + " (dataset option on_error: skip skips such lines)");
                    skipped++;
                    continue;
                }
                catalogMovies++;
                int item = r.items().denseOf(id);
                if (item >= 0) {
                    titles[item] = f.get(1);
                    genres[item] = f.get(2);
                }
            }
        }
        String sha = MovieLensData.sourcesSha256(folder, "ratings.csv", "movies.csv");
        return new MovieLensData(r.table(), r.users(), r.items(), titles, genres, catalogMovies, null, skipped, sha);
    }

    private static void requireHeader(Path file, String expected) throws IOException {
        try (BufferedReader in = Files.newBufferedReader(file, StandardCharsets.UTF_8)) {
            String first = in.readLine();
            String got = first == null ? "" : first.strip();
            if (!got.equals(expected)) {
                throw new DatasetException(file.getFileName() + " line 1: expected the header \"" + expected + "\", got \"" + got + "\"");
            }
        }
    }

    /** The fields of one RFC 4180 record on a single line, or null when a quote is left open. */
    static List<String> csvFields(String line) {
        List<String> out = new ArrayList<>();
        StringBuilder field = new StringBuilder();
        boolean quoted = false;
        for (int i = 0; i < line.length(); i++) {
            char c = line.charAt(i);
            if (quoted) {
                if (c == '"') {
                    if (i + 1 < line.length() && line.charAt(i + 1) == '"') {
                        field.append('"');
                        i++;
                    } else {
                        quoted = false;
                    }
                } else {
                    field.append(c);
                }
            } else if (c == '"') {
                quoted = true;
            } else if (c == ',') {
                out.add(field.toString());
                field.setLength(0);
            } else {
                field.append(c);
            }
        }
        if (quoted) return null;
        out.add(field.toString());
        return out;
    }
}
