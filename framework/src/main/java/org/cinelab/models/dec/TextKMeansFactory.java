package org.cinelab.models.dec;

import org.cinelab.data.PreparedData;
import org.cinelab.data.text.TextSplits;
import org.cinelab.space.HyperParameter;
import org.cinelab.space.Hyperparams;
import org.cinelab.models.ModelFactory;
import org.cinelab.models.TrialModel;

import java.util.List;

/**
 * {@code text-kmeans}: plain k-means (Tribuo k-means++, restarts keep the lowest inertia) of the
 * titles' input rows, usually TF-IDF: the baseline that tells whether DEC's autoencoder adds
 * anything. It writes the same artifacts as {@code dec} ({@code cluster_labels.csv} included), so
 * the classifiers can train on its clusters too.
 */
public final class TextKMeansFactory implements ModelFactory {
    static final List<String> METRICS = List.of("inertia", "silhouette", "nmi", "ari", "largest_cluster", "smallest_cluster");

    @Override
    public String type() { return "text-kmeans"; }

    @Override
    public String description() {
        return "k-means (Tribuo, restarts) of text rows, e.g. TF-IDF; DEC's metrics and artifacts without the autoencoder";
    }

    @Override
    public Class<? extends PreparedData> dataType() { return TextSplits.class; }

    @Override
    public List<HyperParameter> hyperParameters() {
        return List.of(
                HyperParameter.integer("clusters", 20, 2, 1000, "number of clusters k"),
                HyperParameter.integer("kmeans_restarts", 10, 1, 1000, "k-means n_init: restarts, the lowest inertia wins"),
                HyperParameter.integer("kmeans_iterations", 300, 1, 100_000, "k-means iterations per restart"),
                HyperParameter.choice("fit_on", "all", List.of("all", "train"),
                        "titles clustered: all (transductive, as DEC in the study) or the training part"),
                HyperParameter.flag("scatter", true, "draw the 2-D PCA scatter of the input rows coloured by cluster"));
    }

    @Override
    public String defaultObjectiveMetric() { return "inertia"; }

    @Override
    public List<String> metricNames() { return METRICS; }

    @Override
    public boolean lowerIsBetter(String metric) {
        return !(metric.equals("silhouette") || metric.equals("nmi") || metric.equals("ari"));
    }

    @Override
    public TrialModel create(Hyperparams p, PreparedData data, long seed) {
        return new TextKMeans((TextSplits) data, p.getInt("clusters"), p.getInt("kmeans_restarts"), p.getInt("kmeans_iterations"),
                p.getString("fit_on").equals("all"), p.getBoolean("scatter"), seed);
    }
}
