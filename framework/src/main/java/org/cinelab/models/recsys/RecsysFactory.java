package org.cinelab.models.recsys;

import org.cinelab.data.FeaturedRatingSplits;
import org.cinelab.data.PreparedData;
import org.cinelab.data.RatingSplits;
import org.cinelab.metrics.RetrievalEvaluator;
import org.cinelab.metrics.RetrievalMetrics;
import org.cinelab.space.HyperParameter;
import org.cinelab.space.SettingConflict;
import org.cinelab.space.Hyperparams;
import org.cinelab.models.ModelFactory;
import org.cinelab.models.TrialModel;
import org.cinelab.models.dl4j.RatingMetrics;

import java.util.ArrayList;
import java.util.List;

/**
 * The S2 study's embedding recommenders on MovieLens, in DL4J: {@code ranking} (TFRS's ranking
 * model: user and movie id embeddings concatenated, dense layers, a rating, MSE), {@code dcn}
 * (Deep &amp; Cross Network, Wang et al. 2017/2021, cross layers full or low-rank, stacked or parallel
 * with the deep part) and {@code two-tower} (retrieval towers with in-batch softmax plus the ranking
 * head; {@code retrieval_weight}/{@code rating_weight} give the study's retrieval-only, rating-only
 * and joint rows). Each can add user features (age, gender, occupation, zip) and movie features
 * (genres, year, title) to its towers with {@code user_features}/{@code movie_features}, on data
 * loaded with {@code dataset.options.features: true}.
 */
public final class RecsysFactory implements ModelFactory {
    private final RecsysSettings.Kind kind;
    private final String type;
    private final String description;
    private final List<HyperParameter> hyperParameters;

    private RecsysFactory(RecsysSettings.Kind kind, String type, String description, List<HyperParameter> hyperParameters) {
        this.kind = kind;
        this.type = type;
        this.description = description;
        this.hyperParameters = List.copyOf(hyperParameters);
    }

    public static RecsysFactory ranking() {
        return new RecsysFactory(RecsysSettings.Kind.RANKING, "ranking",
                "Rating model on concatenated user and movie id embeddings with dense layers, MSE (TFRS ranking, S2); DL4J",
                RecsysSettings.common(32, "256,64", "adam", 0.001, 256));
    }

    public static RecsysFactory deepAndCross() {
        List<HyperParameter> h = new ArrayList<>(RecsysSettings.common(32, "192,192", "adam", 0.001, 256));
        h.add(HyperParameter.choice("structure", "stacked", List.of("stacked", "parallel"),
                "cross network then deep layers (stacked), or both on the embeddings, concatenated (parallel)"));
        h.add(HyperParameter.integer("cross_layers", 2, 1, 16, "number of cross layers"));
        h.add(HyperParameter.integer("cross_rank", 0, 0, 4096, "0 = full W, else rank of the low-rank W = U V^T"));
        return new RecsysFactory(RecsysSettings.Kind.DCN, "dcn",
                "Deep & Cross Network (Wang et al. 2017/2021) rating model on id embeddings; DL4J, the cross network a native layer with a hand-written backward pass",
                h);
    }

    public static RecsysFactory twoTower() {
        List<HyperParameter> h = new ArrayList<>(RecsysSettings.common(32, "256,128", "adam", 0.001, 1024));
        h.add(HyperParameter.real("retrieval_weight", 1.0, 0.0, 1000.0, "weight of the in-batch softmax retrieval loss"));
        h.add(HyperParameter.real("rating_weight", 0.0, 0.0, 1000.0, "weight of the rating MSE loss"));
        h.add(HyperParameter.choice("retrieval_reduction", "mean", List.of("mean", "sum"),
                "retrieval loss averaged over the batch, or summed as TFRS does"));
        h.add(HyperParameter.choice("retrieval_correction", "none", List.of("none", "logq"),
                "logq: subtract each movie's log training frequency from its in-batch logits (sampling-bias correction, Yi et al. 2019), so scores keep popularity"));
        return new RecsysFactory(RecsysSettings.Kind.TWO_TOWER, "two-tower",
                "Two-tower retrieval (id embeddings, optional feature towers, dot product, in-batch softmax) with a weighted rating head: retrieval, ranking or joint (S2); DL4J",
                h);
    }

    @Override
    public String type() { return type; }

    @Override
    public String description() { return description; }

    /**
     * RatingSplits, which is what movielens-100k declares whether or not it adds features, so the spec
     * validator still rejects a non-rating dataset; {@link #create} takes either kind.
     */
    @Override
    public Class<? extends PreparedData> dataType() { return RatingSplits.class; }

    @Override
    public List<HyperParameter> hyperParameters() { return hyperParameters; }

    @Override
    public List<SettingConflict> conflicts(java.util.Map<String, Object> params,
                                          java.util.Map<String, Object> datasetOptions) {
        return RecsysSettings.conflicts(params, datasetOptions);
    }

    @Override
    public String defaultObjectiveMetric() { return kind == RecsysSettings.Kind.TWO_TOWER ? "top_100_accuracy" : "rmse"; }

    @Override
    public List<String> metricNames() {
        List<String> m = new ArrayList<>(List.of("rmse", "mae", RatingMetrics.USER_RMSE));
        if (kind == RecsysSettings.Kind.TWO_TOWER) {
            m.add("retrieval_loss");
            for (String suffix : new String[]{"", RetrievalMetrics.EXCLUDE_TRAIN_SUFFIX}) {
                for (String metric : new String[]{"top_%d_accuracy", "recall_%d", "ndcg_%d"}) {
                    for (int k : RetrievalEvaluator.DEFAULT_KS) m.add(metric.formatted(k) + suffix);
                }
            }
        }
        return m;
    }

    @Override
    public boolean lowerIsBetter(String metric) {
        return !(metric.startsWith("top_") || metric.startsWith("recall_") || metric.startsWith("ndcg_"));
    }

    @Override
    public TrialModel create(Hyperparams params, PreparedData data, long seed) {
        // features asked for without featured data fail in RecsysGraphs.inputs, naming the dataset option
        return new RecsysModel(RecsysSettings.from(kind, params), FeaturedRatingSplits.ratingsOf(data),
                FeaturedRatingSplits.featuresOf(data).orElse(null), seed);
    }
}
