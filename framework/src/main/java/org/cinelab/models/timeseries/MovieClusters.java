package org.cinelab.models.timeseries;

import org.cinelab.data.RatingTable;
import org.tribuo.MutableDataset;
import org.tribuo.clustering.ClusterID;
import org.tribuo.clustering.ClusteringFactory;
import org.tribuo.clustering.kmeans.KMeansModel;
import org.tribuo.clustering.kmeans.KMeansTrainer;
import org.tribuo.impl.ArrayExample;
import org.tribuo.math.distance.L2Distance;
import org.tribuo.math.la.DenseVector;
import org.tribuo.provenance.SimpleDataSourceProvenance;

import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * K-means clusters of movies by their rating vectors (one coordinate per user, 0 where the user
 * did not rate the movie), as the Netflix study grouped its top 2,000 movies into 20 clusters.
 * Built from training ratings only, so no validation or test rating shapes the clusters. Tribuo's
 * k-means (k-means++ initialisation, seeded) fits the centroids; assignments, inertia and the
 * silhouette are computed here from those centroids.
 */
public final class MovieClusters {
    private static final Map<String, MovieClusters> CACHE = new LinkedHashMap<>(16, 0.75f, true);
    private static final int CACHE_SIZE = 8;

    private final int k;
    private final int[] assignment;
    private final double inertia;
    private final double silhouette;
    private final int clusteredMovies;

    private MovieClusters(int k, int[] assignment, double inertia, double silhouette, int clusteredMovies) {
        this.k = k;
        this.assignment = assignment;
        this.inertia = inertia;
        this.silhouette = silhouette;
        this.clusteredMovies = clusteredMovies;
    }

    /**
     * Fits {@code k} clusters to the movies of {@code train} (movies it has no rating of join the
     * cluster nearest the zero vector). The silhouette is the mean over a seeded sample of at most
     * {@code silhouetteSample} rated movies (all of them when 0, none (NaN) when negative), since it is
     * quadratic in the count.
     */
    public static MovieClusters fit(RatingTable train, int numUsers, int numItems, int k, int iterations, long seed,
                                    int silhouetteSample) {
        Logger.getLogger("org.tribuo").setLevel(Level.WARNING);
        MovieVectors vectors = MovieVectors.of(train, numUsers, numItems);
        int rated = vectors.ratedMovies().length;
        if (rated < k) throw new IllegalArgumentException("k = " + k + " clusters need at least " + k + " rated movies; the training split has " + rated);
        MutableDataset<ClusterID> dataset = new MutableDataset<>(new SimpleDataSourceProvenance("movie rating vectors", new ClusteringFactory()),
                new ClusteringFactory());
        for (int m : vectors.ratedMovies()) {
            int[] users = vectors.users(m);
            String[] names = new String[users.length];
            double[] values = new double[users.length];
            for (int j = 0; j < users.length; j++) {
                names[j] = featureName(users[j]);
                values[j] = vectors.ratings(m)[j];
            }
            dataset.add(new ArrayExample<>(ClusteringFactory.UNASSIGNED_CLUSTER_ID, names, values));
        }
        KMeansTrainer trainer = new KMeansTrainer(k, iterations, new L2Distance(), KMeansTrainer.Initialisation.PLUSPLUS, 1, seed);
        KMeansModel model = trainer.train(dataset);
        float[][] centroids = denseCentroids(model, numUsers);
        double[] centroidNorms = new double[k];
        for (int c = 0; c < k; c++) for (float v : centroids[c]) centroidNorms[c] += (double) v * v;
        int[] assignment = new int[numItems];
        double inertia = 0;
        for (int m = 0; m < numItems; m++) {
            double best = Double.POSITIVE_INFINITY;
            for (int c = 0; c < k; c++) {
                double d = vectors.squaredDistance(m, centroids[c], centroidNorms[c]);
                if (d < best) {
                    best = d;
                    assignment[m] = c;
                }
            }
            if (vectors.users(m).length > 0) inertia += best;
        }
        double silhouette = silhouette(vectors, assignment, k, silhouetteSample, seed);
        return new MovieClusters(k, assignment, inertia, silhouette, rated);
    }

    /** {@link #fit} shared between trials with the same data, k, iterations and seed. */
    public static MovieClusters cached(String splitId, RatingTable train, int numUsers, int numItems, int k, int iterations, long seed) {
        String key = splitId + "/" + train.size() + "/" + k + "/" + iterations + "/" + seed;
        synchronized (CACHE) {
            MovieClusters c = CACHE.get(key);
            if (c != null) return c;
        }
        MovieClusters fitted = fit(train, numUsers, numItems, k, iterations, seed, -1);
        synchronized (CACHE) {
            CACHE.put(key, fitted);
            if (CACHE.size() > CACHE_SIZE) CACHE.remove(CACHE.keySet().iterator().next());
        }
        return fitted;
    }

    public int k() { return k; }

    public int clusterOf(int movie) { return assignment[movie]; }

    /** Sum over rated movies of the squared distance to their centroid. */
    public double inertia() { return inertia; }

    /** Mean silhouette over the sampled movies, in [-1, 1]; higher is better separated. */
    public double silhouette() { return silhouette; }

    public int clusteredMovies() { return clusteredMovies; }

    /** Movies per cluster. */
    public int[] sizes() {
        int[] s = new int[k];
        for (int c : assignment) s[c]++;
        return s;
    }

    int[] assignments() { return assignment.clone(); }

    private static String featureName(int user) { return String.format("u%09d", user); }

    private static float[][] denseCentroids(KMeansModel model, int numUsers) {
        DenseVector[] vectors = model.getCentroidVectors();
        var featureIds = model.getFeatureIDMap();
        float[][] out = new float[vectors.length][numUsers];
        for (int u = 0; u < numUsers; u++) {
            var info = featureIds.get(featureName(u));
            if (info == null) continue;
            int id = featureIds.getID(featureName(u));
            for (int c = 0; c < vectors.length; c++) out[c][u] = (float) vectors[c].get(id);
        }
        return out;
    }

    private static double silhouette(MovieVectors vectors, int[] assignment, int k, int sample, long seed) {
        if (sample < 0) return Double.NaN;
        int[] movies = vectors.ratedMovies().clone();
        if (sample > 0 && movies.length > sample) {
            SplittableRandom rng = new SplittableRandom(seed ^ 0x51L);
            for (int i = 0; i < sample; i++) {
                int j = i + rng.nextInt(movies.length - i);
                int t = movies[i]; movies[i] = movies[j]; movies[j] = t;
            }
            movies = Arrays.copyOf(movies, sample);
        }
        int n = movies.length;
        float[][] dense = new float[n][];
        for (int i = 0; i < n; i++) dense[i] = vectors.dense(movies[i]);
        double[] norms = new double[n];
        for (int i = 0; i < n; i++) norms[i] = dot(dense[i], dense[i]);
        double total = 0;
        int counted = 0;
        double[] sum = new double[k];
        int[] count = new int[k];
        for (int i = 0; i < n; i++) {
            Arrays.fill(sum, 0);
            Arrays.fill(count, 0);
            for (int j = 0; j < n; j++) {
                if (i == j) continue;
                int c = assignment[movies[j]];
                sum[c] += Math.sqrt(Math.max(0, norms[i] + norms[j] - 2 * dot(dense[i], dense[j])));
                count[c]++;
            }
            int own = assignment[movies[i]];
            if (count[own] == 0) continue; // a singleton's silhouette is 0 by convention
            double a = sum[own] / count[own];
            double b = Double.POSITIVE_INFINITY;
            for (int c = 0; c < k; c++) if (c != own && count[c] > 0) b = Math.min(b, sum[c] / count[c]);
            if (Double.isInfinite(b)) continue;
            total += (b - a) / Math.max(a, b);
            counted++;
        }
        return n == 0 ? Double.NaN : total / n;
    }

    private static double dot(float[] a, float[] b) {
        double s = 0;
        for (int i = 0; i < a.length; i++) s += a[i] * b[i];
        return s;
    }
}
