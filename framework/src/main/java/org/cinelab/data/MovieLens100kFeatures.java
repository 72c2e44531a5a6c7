package org.cinelab.data;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.regex.Pattern;

/**
 * Reads MovieLens-100k's {@code u.user}, {@code u.item} (Latin-1) and {@code u.occupation} into
 * {@link MovieLensFeatures}. Ids must run 1..n without gaps, so dense id = raw id - 1 as in
 * {@code MovieLens100k}; a malformed line is reported with its file, line and field.
 */
public final class MovieLens100kFeatures {
    /** Keras {@code TextVectorization}'s default punctuation, removed before splitting titles. */
    private static final Pattern PUNCTUATION = Pattern.compile("[!\"#$%&()*+,\\-./:;<=>?@\\[\\\\\\]^_`{|}~']");
    private static final Pattern WHITESPACE = Pattern.compile("\\s+");
    private static final String[] MONTHS = {"jan", "feb", "mar", "apr", "may", "jun", "jul", "aug", "sep", "oct", "nov", "dec"};

    private MovieLens100kFeatures() {}

    public static MovieLensFeatures read(Path ml100kFolder) throws IOException {
        return new MovieLensFeatures(readUsers(ml100kFolder), readMovies(ml100kFolder.resolve("u.item")));
    }

    /** The SHA-256 of the files {@link #read} uses, for the run's data checksum. */
    public static String sha256(Path ml100kFolder) throws IOException {
        StringBuilder sb = new StringBuilder();
        for (String f : List.of("u.user", "u.item", "u.occupation")) {
            sb.append(f).append('=').append(Checksums.sha256(ml100kFolder.resolve(f))).append('\n');
        }
        return Checksums.sha256(sb.toString());
    }

    static MovieLensFeatures.Users readUsers(Path folder) throws IOException {
        Path occupationFile = folder.resolve("u.occupation");
        List<String> occupations = new ArrayList<>();
        for (String line : lines(occupationFile)) if (!line.isBlank()) occupations.add(line.strip());
        Map<String, Integer> occupationIndex = new HashMap<>();
        for (int i = 0; i < occupations.size(); i++) occupationIndex.put(occupations.get(i), i);

        Path file = folder.resolve("u.user");
        List<Row> rows = rows(file, 5);
        int n = rows.size();
        int[] age = new int[n], bucket = new int[n], gender = new int[n], occupation = new int[n], zipPrefix = new int[n];
        String[] zip = new String[n];
        for (Row row : rows) {
            String[] f = row.f();
            int line = row.line();
            int user = denseId(f[0], line, n, file, "user id");
            if (zip[user] != null) throw error(file, line, "user id", "user " + f[0] + " appears twice");
            age[user] = parseInt(f[1], file, line, "age");
            bucket[user] = MovieLensFeatures.Users.ageBucketOf(age[user]);
            gender[user] = switch (f[2]) {
                case "F" -> 0;
                case "M" -> 1;
                default -> throw error(file, line, "gender", "'" + f[2] + "', expected M or F");
            };
            Integer occ = occupationIndex.get(f[3]);
            if (occ == null) throw error(file, line, "occupation", "'" + f[3] + "' is not listed in " + occupationFile);
            occupation[user] = occ;
            zip[user] = f[4];
            zipPrefix[user] = MovieLensFeatures.Users.zipPrefixOf(f[4]);
        }
        return new MovieLensFeatures.Users(age, bucket, gender, occupation, zip, zipPrefix, List.copyOf(occupations));
    }

    static MovieLensFeatures.Movies readMovies(Path file) throws IOException {
        int genreCount = MovieLensFeatures.Movies.GENRES.size();
        List<Row> rows = rows(file, 5 + genreCount);
        int n = rows.size();
        String[] title = new String[n];
        int[] year = new int[n], genres = new int[n];
        for (Row row : rows) {
            String[] f = row.f();
            int line = row.line();
            int movie = denseId(f[0], line, n, file, "movie id");
            if (title[movie] != null) throw error(file, line, "movie id", "movie " + f[0] + " appears twice");
            title[movie] = f[1];
            year[movie] = releaseYear(f[2], file, line);
            for (int g = 0; g < genreCount; g++) {
                String flag = f[5 + g];
                if (!flag.equals("0") && !flag.equals("1")) {
                    throw error(file, line, MovieLensFeatures.Movies.GENRES.get(g) + " flag", "'" + flag + "', expected 0 or 1");
                }
                if (flag.equals("1")) genres[movie] |= 1 << g;
            }
        }
        List<List<String>> tokens = new ArrayList<>();
        Map<String, Integer> counts = new HashMap<>();
        for (String t : title) {
            List<String> words = tokenize(t);
            tokens.add(words);
            for (String w : words) counts.merge(w, 1, Integer::sum);
        }
        List<String> vocabulary = new ArrayList<>(List.of("", "[UNK]"));
        counts.entrySet().stream()
                .sorted(Map.Entry.<String, Integer>comparingByValue(Comparator.reverseOrder()).thenComparing(Map.Entry.comparingByKey()))
                .forEach(e -> vocabulary.add(e.getKey()));
        Map<String, Integer> index = new HashMap<>();
        for (int i = 0; i < vocabulary.size(); i++) index.put(vocabulary.get(i), i);
        int[][] titleTokens = new int[n][];
        for (int m = 0; m < n; m++) titleTokens[m] = tokens.get(m).stream().mapToInt(index::get).toArray();
        return new MovieLensFeatures.Movies(title, year, genres, titleTokens, List.copyOf(vocabulary));
    }

    /** Keras {@code TextVectorization}'s default standardisation: lower case, punctuation removed, split on whitespace. */
    public static List<String> tokenize(String text) {
        String clean = PUNCTUATION.matcher(text.toLowerCase(Locale.ROOT)).replaceAll("").strip();
        return clean.isEmpty() ? List.of() : List.of(WHITESPACE.split(clean));
    }

    /** {@code 01-Jan-1995} -> 1995; an empty date (movie 267, "unknown") -> {@link MovieLensFeatures.Movies#UNKNOWN_YEAR}. */
    private static int releaseYear(String date, Path file, int line) throws DataFormatException {
        if (date.isEmpty()) return MovieLensFeatures.Movies.UNKNOWN_YEAR;
        String[] parts = date.split("-");
        if (parts.length != 3 || !List.of(MONTHS).contains(parts[1].toLowerCase(Locale.ROOT))) {
            throw error(file, line, "release date", "'" + date + "', expected DD-Mon-YYYY like 01-Jan-1995 or empty");
        }
        return parseInt(parts[2], file, line, "release date");
    }

    private static List<String> lines(Path file) throws IOException {
        if (!Files.isRegularFile(file)) throw new DataFormatException(file + ": missing (MovieLens-100k's user and movie features need it)");
        return Files.readAllLines(file, StandardCharsets.ISO_8859_1);
    }

    /** A non-blank line split on '|', with its 1-based line number. */
    private record Row(int line, String[] f) {}

    private static List<Row> rows(Path file, int fields) throws IOException {
        List<Row> rows = new ArrayList<>();
        List<String> lines = lines(file);
        for (int i = 0; i < lines.size(); i++) {
            String line = lines.get(i);
            if (line.isBlank()) continue;
            String[] f = line.split("\\|", -1);
            if (f.length != fields) {
                throw new DataFormatException(file + ":" + (i + 1) + ": " + f.length + " '|'-separated fields, expected " + fields);
            }
            rows.add(new Row(i + 1, f));
        }
        return rows;
    }

    private static int denseId(String raw, int line, int count, Path file, String field) throws DataFormatException {
        int id = parseInt(raw, file, line, field);
        if (id < 1 || id > count) throw error(file, line, field, id + " is outside 1.." + count + " (ids must run 1..n without gaps)");
        return id - 1;
    }

    private static int parseInt(String s, Path file, int line, String field) throws DataFormatException {
        try {
            return Integer.parseInt(s.strip());
        } catch (NumberFormatException e) {
            throw error(file, line, field, "'" + s + "' is not an integer");
        }
    }

    private static DataFormatException error(Path file, int line, String field, String problem) {
        return new DataFormatException(file + ":" + line + ": field '" + field + "': " + problem);
    }
}
