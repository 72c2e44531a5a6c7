package org.cinelab.models.timeseries;

import org.cinelab.data.FeaturedRatingSplits;
import org.cinelab.data.PreparedData;
import org.cinelab.data.RatingSplits;
import org.cinelab.space.HyperParameter;
import org.cinelab.space.Hyperparams;
import org.cinelab.models.ModelFactory;
import org.cinelab.models.TrialModel;
import org.cinelab.models.dl4j.DenseEngine;
import org.cinelab.models.dl4j.Optimisers;

import java.util.List;

/**
 * {@code embedding-dense}: the Netflix study's best model (0.737 test RMSE on its top-users
 * subset): user and movie embeddings, concatenated, through ReLU dense layers 256-128-64 with
 * dropout before the second and third, to one linear rating output; Adam on MSE.
 */
public final class EmbeddingDenseFactory implements ModelFactory {
    @Override
    public String type() { return "embedding-dense"; }

    @Override
    public String description() {
        return "User and movie embeddings -> dense ReLU 256-128-64 with two dropout layers -> rating (Netflix study S4); Adam, MSE";
    }

    @Override
    public Class<? extends PreparedData> dataType() { return RatingSplits.class; }

    @Override
    public List<HyperParameter> hyperParameters() {
        return List.of(
                HyperParameter.integer("embedding_dim", 64, 1, 4096, "width of the user and the movie embedding"),
                HyperParameter.intList("hidden", List.of(256, 128, 64), 1, 65_536, false, "ReLU dense widths, e.g. [256, 128, 64]"),
                HyperParameter.real("dropout", 0.2, 0.0, 0.95, "dropout rate before every dense layer but the first (the study's two dropout layers)"),
                HyperParameter.real("lr", 0.001, 1e-6, 1.0, "learning rate"),
                HyperParameter.choice("optimizer", "adam", Optimisers.NAMES, "optimiser"),
                HyperParameter.integer("batch_size", 256, 1, 1 << 20, "ratings per minibatch"),
                HyperParameter.flag("clip", true, "clip predictions to the rating range when evaluating"),
                DenseEngine.hyperParameter());
    }

    @Override
    public String defaultObjectiveMetric() { return "rmse"; }

    @Override
    public List<String> metricNames() { return List.of("rmse", "mae", "user_rmse"); }

    @Override
    public boolean lowerIsBetter(String metric) { return true; }

    @Override
    public TrialModel create(Hyperparams p, PreparedData data, long seed) {
        EmbeddingDenseModel.Settings s = new EmbeddingDenseModel.Settings(p.getInt("embedding_dim"),
                p.getIntList("hidden"), p.getDouble("dropout"), p.getDouble("lr"), p.getString("optimizer"),
                p.getInt("batch_size"), p.getBoolean("clip"), DenseEngine.isDl4j(p));
        return new EmbeddingDenseModel(s, FeaturedRatingSplits.ratingsOf(data), seed);
    }
}
