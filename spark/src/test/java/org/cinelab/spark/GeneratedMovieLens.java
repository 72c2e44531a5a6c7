package org.cinelab.spark;

import org.cinelab.data.DatasetRequest;
import org.cinelab.data.sets.MovieLens100k;
import org.cinelab.data.PreparedData;
import org.cinelab.data.sets.SyntheticMovieLens;
import org.cinelab.spark.executor.DataSource;
import org.cinelab.spark.executor.SharedPathProbe;

import java.io.IOException;
import java.nio.file.Path;
import java.util.Map;

/** A generated MovieLens-100k folder in a data dir every executor of these tests sees, and its data source. */
final class GeneratedMovieLens {
    static final Map<String, Object> OPTIONS = Map.of("validation_ratio", 0.1);
    static final long SEED = 42;

    final Path dataDir;
    final PreparedData onDriver;
    final DataSource source;

    /** RMSE on the validation split of predicting the training mean: what training must beat. */
    double meanBaselineRmse() {
        org.cinelab.data.RatingSplits d = (org.cinelab.data.RatingSplits) onDriver;
        double mean = d.train().meanRating(), sse = 0;
        for (int j = 0; j < d.validation().size(); j++) sse += Math.pow(d.validation().rating(j) - mean, 2);
        return Math.sqrt(sse / d.validation().size());
    }

    GeneratedMovieLens(Path dataDir, int ratings) throws IOException {
        this.dataDir = dataDir;
        SyntheticMovieLens.write(dataDir, ratings, ratings / 10, 7);
        this.onDriver = new MovieLens100k().load(new DatasetRequest("u1", OPTIONS, SEED, dataDir, s -> {}));
        SharedPathProbe probe = SharedPathProbe.create(dataDir, "the data dir", "Mount it on every executor.");
        this.source = new DataSource(MovieLens100k.NAME, "u1", OPTIONS, SEED, probe, null, onDriver.splitId());
    }
}
