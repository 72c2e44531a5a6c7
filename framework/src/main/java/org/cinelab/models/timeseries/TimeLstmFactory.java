package org.cinelab.models.timeseries;

import org.cinelab.data.FeaturedRatingSplits;
import org.cinelab.data.PreparedData;
import org.cinelab.data.RatingSplits;
import org.cinelab.space.HyperParameter;
import org.cinelab.space.Hyperparams;
import org.cinelab.models.ModelFactory;
import org.cinelab.models.TrialModel;
import org.cinelab.models.layers.LstmImplementation;

import java.util.List;

/**
 * {@code time-lstm}: the Netflix study's LSTM regressor. Each user's ratings in time order are cut
 * into sliding windows of {@code window} steps; the last step's rating is the label. Per step: the
 * movie's k-means cluster (one-hot, fitted on training ratings) or a learned movie embedding, the
 * standardised rating (withheld on the last step), the standardised log time gap and a
 * rating-known flag; LSTM layers, the last step's output, one dense unit with the final
 * activation (sigmoid is scaled to the rating range); Adam on MSE.
 */
public final class TimeLstmFactory implements ModelFactory {
    static final List<String> FINAL_ACTIVATIONS = List.of("gelu", "selu", "swish", "relu", "sigmoid", "identity");

    @Override
    public String type() { return "time-lstm"; }

    @Override
    public String description() {
        return "LSTM over per-user sliding windows of (movie cluster or embedding, rating, time gap) predicting the last rating (S4)";
    }

    @Override
    public Class<? extends PreparedData> dataType() { return RatingSplits.class; }

    @Override
    public List<HyperParameter> hyperParameters() {
        return List.of(
                HyperParameter.integer("window", 10, 2, 1000, "steps per window, the last one being the rating to predict"),
                HyperParameter.choice("movie_features", "cluster", List.of("cluster", "embedding"),
                        "a step's movie as its k-means cluster (one-hot) or as a learned movie embedding"),
                HyperParameter.integer("clusters", 20, 2, 1000, "k of the movie k-means (movie_features: cluster)"),
                HyperParameter.integer("cluster_iterations", 100, 1, 10000, "maximum k-means iterations"),
                HyperParameter.integer("movie_embedding_dim", 32, 1, 4096, "movie embedding width (movie_features: embedding)"),
                HyperParameter.integer("layers", 1, 1, 16, "stacked LSTM layers"),
                HyperParameter.integer("units", 228, 1, 4096, "units per LSTM layer"),
                HyperParameter.real("dropout", 0.0, 0.0, 0.95, "dropout rate on the inputs of every LSTM layer but the first and of the output"),
                HyperParameter.choice("final_activation", "swish", FINAL_ACTIVATIONS,
                        "activation of the one-unit output; sigmoid is scaled to [min rating, max rating]"),
                HyperParameter.real("lr", 0.001, 1e-6, 1.0, "Adam learning rate"),
                HyperParameter.integer("batch_size", 256, 1, 1 << 20, "windows per minibatch"),
                HyperParameter.flag("clip", true, "clip predictions to the rating range when evaluating"),
                HyperParameter.integer("blas_threads", 0, 0, 64, "BLAS threads (0 = ND4J's default from OMP_NUM_THREADS)"),
                LstmImplementation.hyperParameter());
    }

    @Override
    public String defaultObjectiveMetric() { return "rmse"; }

    @Override
    public List<String> metricNames() { return List.of("rmse", "mae", "user_rmse"); }

    @Override
    public boolean lowerIsBetter(String metric) { return true; }

    @Override
    public TrialModel create(Hyperparams p, PreparedData data, long seed) {
        TimeLstmModel.Settings s = new TimeLstmModel.Settings(p.getInt("window"), p.getString("movie_features").equals("cluster"),
                p.getInt("clusters"), p.getInt("cluster_iterations"), p.getInt("movie_embedding_dim"), p.getInt("layers"),
                p.getInt("units"), p.getDouble("dropout"), p.getString("final_activation"), p.getDouble("lr"), p.getInt("batch_size"),
                p.getBoolean("clip"), p.getInt("blas_threads"), LstmImplementation.of(p.getString(LstmImplementation.SETTING)));
        return new TimeLstmModel(s, FeaturedRatingSplits.ratingsOf(data), seed);
    }
}
