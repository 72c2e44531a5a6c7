package org.cinelab.models.timeseries;

import org.cinelab.data.RatingSplits;
import org.cinelab.data.RatingTable;
import org.cinelab.space.Hyperparams;
import org.cinelab.models.ModelFactory;
import org.cinelab.models.zoo.ModelRegistry;
import org.cinelab.models.TrialModel;
import org.cinelab.models.dl4j.Checkpoints;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.*;

class MovieClustersTest {
    /** Movies 0..9 are loved by users 0..19 and disliked by 20..39; movies 10..19 the other way round. */
    private static RatingTable twoTasteGroups() {
        int n = 40 * 20;
        int[] u = new int[n], it = new int[n];
        float[] r = new float[n];
        int j = 0;
        for (int user = 0; user < 40; user++) {
            for (int movie = 0; movie < 20; movie++) {
                u[j] = user;
                it[j] = movie;
                r[j++] = (user < 20) == (movie < 10) ? 5 : 1;
            }
        }
        return new RatingTable(u, it, r, new long[n]);
    }

    @Test
    void twoClustersSeparateTwoTasteGroupsOfMovies() {
        MovieClusters c = MovieClusters.fit(twoTasteGroups(), 40, 20, 2, 50, 3, 0);
        for (int m = 1; m < 10; m++) assertEquals(c.clusterOf(0), c.clusterOf(m), "movie " + m);
        for (int m = 11; m < 20; m++) assertEquals(c.clusterOf(10), c.clusterOf(m), "movie " + m);
        assertNotEquals(c.clusterOf(0), c.clusterOf(10));
        assertEquals(0.0, c.inertia(), 1e-6, "identical movies within a group");
        assertEquals(1.0, c.silhouette(), 1e-6);
    }

    @Test
    void inertiaFallsAsClustersAreAdded() {
        RatingSplits data = TimedRatings.splits(50, 60, 30, 4, 1);
        double previous = Double.POSITIVE_INFINITY;
        for (int k : new int[]{2, 4, 8}) {
            double inertia = MovieClusters.fit(data.train(), 50, 60, k, 100, 1, 0).inertia();
            assertTrue(inertia < previous, "k=" + k + ": " + inertia + " after " + previous);
            previous = inertia;
        }
    }

    @Test
    void unratedMoviesStillGetACluster() {
        RatingTable t = twoTasteGroups();
        MovieClusters c = MovieClusters.fit(t, 40, 25, 2, 50, 3, 0);
        assertEquals(20, c.clusteredMovies());
        assertEquals(25, java.util.Arrays.stream(c.sizes()).sum());
    }

    @Test
    void theKMeansModelIsRegisteredAndResumes() throws IOException {
        ModelFactory f = ModelRegistry.find("movie-kmeans").orElseThrow();
        RatingSplits data = TimedRatings.splits(30, 40, 20, 3, 2);
        TrialModel m = f.create(Hyperparams.resolve(f.hyperParameters(), Map.of("k", 3), Map.of()), data, 5);
        m.trainEpoch(1);
        Map<String, Double> metrics = m.evaluate(TrialModel.Split.VALIDATION);
        assertTrue(metrics.get("silhouette") > -1 && metrics.get("silhouette") <= 1, metrics.toString());
        assertTrue(f.lowerIsBetter("inertia") && !f.lowerIsBetter("silhouette"));
        Checkpoints.assertResumesExactly(() -> f.create(Hyperparams.resolve(f.hyperParameters(), Map.of("k", 3), Map.of()), data, 5), 1, 2);
    }
}
