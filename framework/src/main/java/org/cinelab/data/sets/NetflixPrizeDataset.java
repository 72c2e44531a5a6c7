package org.cinelab.data.sets;

import org.cinelab.data.Checksums;
import org.cinelab.data.DatasetProvider;
import org.cinelab.data.DatasetRequest;
import org.cinelab.data.PreparedData;
import org.cinelab.data.RatingSplits;
import org.cinelab.data.catalog.DatasetException;
import org.cinelab.data.catalog.DatasetInstaller;
import org.cinelab.data.netflix.NetflixPrizeRatings;
import org.cinelab.data.netflix.NetflixPrizeReader;
import org.cinelab.data.netflix.OnError;
import org.cinelab.data.split.RatingSplitter;
import org.cinelab.space.HyperParameter;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.stream.Stream;

/**
 * The Netflix Prize ratings (about 100M, 1-5 stars, day-resolution dates) from the installed
 * {@code netflix-prize} folder, in Kaggle's layout ({@code combined_data_*.txt}) or the original
 * tarball's ({@code training_set/mv_*.txt}); login-only, so a missing folder stops with the
 * {@code cinelab datasets import} command. Read streamed and in parallel by
 * {@link NetflixPrizeReader}; filtered (the study keeps the top 10,000 users x top 2,000 movies:
 * {@code top_users: 10000, top_items: 2000}) and split by {@link RatingSplitter}, whose {@code time}
 * split cuts globally by date so that no future rating is trained on.
 */
public final class NetflixPrizeDataset implements DatasetProvider {
    public static final String NAME = "netflix-prize";

    public String name() { return NAME; }
    public Class<? extends PreparedData> dataType() { return RatingSplits.class; }
    public List<String> splits() { return RatingSplitter.SPLITS; }
    public List<HyperParameter> options() { return RatingSplitter.options(); }

    public PreparedData load(DatasetRequest request) throws IOException {
        Path folder = DatasetInstaller.ensureInstalled(NAME, request.dataDir(), request.log());
        Map<String, Object> options = request.options() == null ? Map.of() : request.options();
        OnError onError = "skip".equals(String.valueOf(options.get("on_error")).toLowerCase(Locale.ROOT)) ? OnError.SKIP : OnError.FAIL;
        List<Path> files = ratingFiles(folder);
        long t0 = System.nanoTime();
        NetflixPrizeRatings r = read(files, onError);
        say(request, String.format(Locale.ROOT, "%s: read %,d ratings (%,d users, %,d movies) from %d file(s) in %.1f s",
                NAME, r.size(), r.users().size(), r.movies().size(), files.size(), (System.nanoTime() - t0) / 1e9));
        if (r.skippedLines() > 0) {
            say(request, NAME + ": skipped " + r.skippedLines() + " malformed line(s), first: " + r.problems().get(0));
        }
        Map<String, String> datasetParams = new LinkedHashMap<>();
        datasetParams.put("dataset.name", NAME);
        datasetParams.put("dataset.layout", layoutOf(folder, files));
        datasetParams.put("dataset.files", Integer.toString(files.size()));
        datasetParams.put("dataset.on_error", onError.name().toLowerCase(Locale.ROOT));
        datasetParams.put("dataset.skipped_lines", Long.toString(r.skippedLines()));
        return RatingSplitter.split(r.ratings(), r.users().size(), r.movies().size(), 1f, 5f, sourcesSha256(folder, files),
                request.split(), options, request.seed(), datasetParams, request.log() == null ? null : s -> say(request, NAME + ": " + s));
    }

    /** Reads the rating files of a {@code netflix-prize} folder. */
    public static NetflixPrizeRatings read(Path folder, OnError onError) throws IOException {
        return read(ratingFiles(folder), onError);
    }

    private static NetflixPrizeRatings read(List<Path> files, OnError onError) throws IOException {
        return new NetflixPrizeReader().onError(onError).read(files);
    }

    /** {@code combined_data_*.txt} in name order when present, else {@code training_set/mv_*.txt}. */
    public static List<Path> ratingFiles(Path folder) throws IOException {
        List<Path> combined = list(folder, "combined_data_");
        if (!combined.isEmpty()) return combined;
        List<Path> perMovie = list(folder.resolve("training_set"), "mv_");
        if (!perMovie.isEmpty()) return perMovie;
        throw new DatasetException(folder + ": no combined_data_*.txt and no training_set/mv_*.txt (a Netflix Prize folder holds one of them)");
    }

    private static List<Path> list(Path dir, String prefix) throws IOException {
        if (!Files.isDirectory(dir)) return List.of();
        try (Stream<Path> s = Files.list(dir)) {
            return s.filter(p -> {
                String n = p.getFileName().toString();
                return n.startsWith(prefix) && n.endsWith(".txt") && Files.isRegularFile(p);
            }).sorted().toList();
        }
    }

    private static String layoutOf(Path folder, List<Path> files) {
        return files.get(0).getParent().equals(folder) ? "combined_data" : "training_set";
    }

    /** SHA-256 over "relative-path sha256" lines of the files read, hashed in parallel. */
    static String sourcesSha256(Path folder, List<Path> files) throws IOException {
        try {
            List<String> lines = new ArrayList<>(files.parallelStream().map(f -> {
                try {
                    return folder.relativize(f).toString().replace('\\', '/') + ' ' + Checksums.sha256(f);
                } catch (IOException e) {
                    throw new UncheckedIOException(e);
                }
            }).toList());
            return Checksums.sha256(String.join("\n", lines) + "\n");
        } catch (UncheckedIOException e) {
            throw e.getCause();
        }
    }

    private static void say(DatasetRequest request, String message) {
        if (request.log() != null) request.log().accept(message);
    }
}
