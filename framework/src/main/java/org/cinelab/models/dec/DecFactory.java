package org.cinelab.models.dec;

import org.cinelab.data.PreparedData;
import org.cinelab.data.text.TextSplits;
import org.cinelab.space.HyperParameter;
import org.cinelab.space.Hyperparams;
import org.cinelab.models.ModelFactory;
import org.cinelab.models.TrialModel;

import java.util.List;

/**
 * Deep Embedded Clustering (Xie, Girshick and Farhadi 2016) of text rows: each epoch the runner
 * asks for is one autoencoder pre-training epoch; the clustering (k-means initialisation, then KL
 * refinement) runs once pre-training ends, when test metrics or the model are asked for.
 */
public final class DecFactory implements ModelFactory {
    static final List<String> METRICS = List.of("reconstruction_mse", "silhouette", "nmi", "ari", "inertia", "dec_loss",
            "kmeans_silhouette", "kmeans_nmi", "kmeans_ari", "kmeans_inertia", "refine_iterations", "label_change");

    @Override
    public String type() { return "dec"; }

    @Override
    public String description() {
        return "Deep Embedded Clustering (Xie et al. 2016): autoencoder pre-training, k-means, KL refinement; text rows";
    }

    @Override
    public Class<? extends PreparedData> dataType() { return TextSplits.class; }

    @Override
    public List<HyperParameter> hyperParameters() { return DecSettings.declared(); }

    @Override
    public String defaultObjectiveMetric() { return "reconstruction_mse"; }

    @Override
    public List<String> metricNames() { return METRICS; }

    @Override
    public boolean lowerIsBetter(String metric) {
        return !(metric.endsWith("silhouette") || metric.endsWith("nmi") || metric.endsWith("ari"));
    }

    @Override
    public TrialModel create(Hyperparams params, PreparedData data, long seed) {
        return new DecModel(DecSettings.of(params), (TextSplits) data, seed);
    }
}
