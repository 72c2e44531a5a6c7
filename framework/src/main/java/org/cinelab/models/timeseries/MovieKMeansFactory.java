package org.cinelab.models.timeseries;

import org.cinelab.data.FeaturedRatingSplits;
import org.cinelab.data.PreparedData;
import org.cinelab.data.RatingSplits;
import org.cinelab.space.HyperParameter;
import org.cinelab.space.Hyperparams;
import org.cinelab.models.ModelFactory;
import org.cinelab.models.TrialModel;

import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * {@code movie-kmeans}: k-means of the movies' training rating vectors, scored by inertia and
 * silhouette, so that a grid over {@code k} reproduces the Netflix study's k = 7..30 sweep. The
 * clustering is fitted in epoch 1; further epochs change nothing. Both splits report the same
 * numbers, since the clusters describe the training data.
 */
public final class MovieKMeansFactory implements ModelFactory {
    @Override
    public String type() { return "movie-kmeans"; }

    @Override
    public String description() {
        return "k-means (Tribuo) of movies by their training rating vectors; inertia and silhouette for a sweep over k";
    }

    @Override
    public Class<? extends PreparedData> dataType() { return RatingSplits.class; }

    @Override
    public List<HyperParameter> hyperParameters() {
        return List.of(
                HyperParameter.integer("k", 20, 2, 1000, "number of clusters (the study chose 20 of 7..30)"),
                HyperParameter.integer("iterations", 100, 1, 10000, "maximum k-means iterations"),
                HyperParameter.integer("silhouette_sample", 1000, 0, 1_000_000,
                        "rated movies (seeded sample) the silhouette averages over; 0 = all (quadratic)"));
    }

    @Override
    public String defaultObjectiveMetric() { return "silhouette"; }

    @Override
    public List<String> metricNames() { return List.of("inertia", "silhouette", "inertia_per_movie"); }

    @Override
    public boolean lowerIsBetter(String metric) { return !metric.equals("silhouette"); }

    @Override
    public TrialModel create(Hyperparams params, PreparedData data, long seed) {
        return new Fitted(FeaturedRatingSplits.ratingsOf(data), params.getInt("k"), params.getInt("iterations"),
                params.getInt("silhouette_sample"), seed);
    }

    private static final class Fitted implements TrialModel {
        private static final int MAGIC = 0x434C4B4D; // "CLKM"
        private final RatingSplits data;
        private final int k;
        private final int iterations;
        private final int silhouetteSample;
        private final long seed;
        private int[] assignment;
        private double inertia = Double.NaN;
        private double silhouette = Double.NaN;
        private int clustered;

        Fitted(RatingSplits data, int k, int iterations, int silhouetteSample, long seed) {
            this.data = data;
            this.k = k;
            this.iterations = iterations;
            this.silhouetteSample = silhouetteSample;
            this.seed = seed;
        }

        @Override
        public double trainEpoch(int epoch) {
            if (assignment == null) {
                MovieClusters c = MovieClusters.fit(data.train(), data.numUsers(), data.numItems(), k, iterations, seed, silhouetteSample);
                assignment = c.assignments();
                inertia = c.inertia();
                silhouette = c.silhouette();
                clustered = c.clusteredMovies();
            }
            return inertia / Math.max(1, clustered);
        }

        @Override
        public Map<String, Double> evaluate(Split split) {
            Map<String, Double> m = new LinkedHashMap<>();
            m.put("inertia", inertia);
            m.put("silhouette", silhouette);
            m.put("inertia_per_movie", inertia / Math.max(1, clustered));
            return m;
        }

        @Override
        public void saveCheckpoint(DataOutputStream out) throws IOException {
            out.writeInt(MAGIC);
            out.writeBoolean(assignment != null);
            if (assignment == null) return;
            out.writeDouble(inertia);
            out.writeDouble(silhouette);
            out.writeInt(clustered);
            out.writeInt(assignment.length);
            for (int a : assignment) out.writeInt(a);
        }

        @Override
        public void loadCheckpoint(DataInputStream in) throws IOException {
            if (in.readInt() != MAGIC) throw new IOException("not a movie-kmeans checkpoint");
            if (!in.readBoolean()) return;
            inertia = in.readDouble();
            silhouette = in.readDouble();
            clustered = in.readInt();
            int n = in.readInt();
            if (n != data.numItems()) throw new IOException("checkpoint clusters " + n + " movies, the data has " + data.numItems());
            assignment = new int[n];
            for (int i = 0; i < n; i++) assignment[i] = in.readInt();
        }

        @Override
        public void exportModel(Path dir) throws IOException {
            Files.createDirectories(dir);
            StringBuilder csv = new StringBuilder("movie_index,cluster\n");
            if (assignment != null) for (int m = 0; m < assignment.length; m++) csv.append(m).append(',').append(assignment[m]).append('\n');
            Files.writeString(dir.resolve("clusters.csv"), csv.toString(), StandardCharsets.UTF_8);
            Files.writeString(dir.resolve("README.txt"), "movie-kmeans (CineLab): k=" + k + ", inertia=" + inertia
                    + ", silhouette=" + silhouette + ", cluster sizes " + Arrays.toString(sizes())
                    + "\nclusters.csv: dense movie index (the dataset's id order) -> cluster\n", StandardCharsets.UTF_8);
        }

        private int[] sizes() {
            int[] s = new int[k];
            if (assignment != null) for (int a : assignment) s[a]++;
            return s;
        }

        @Override
        public long parameterCount() { return (long) k * data.numUsers(); }
    }
}
