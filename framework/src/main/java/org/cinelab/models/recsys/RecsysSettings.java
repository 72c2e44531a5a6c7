package org.cinelab.models.recsys;

import org.cinelab.space.HyperParameter;
import org.cinelab.space.Hyperparams;
import org.cinelab.space.SettingConflict;
import org.cinelab.models.dl4j.Optimisers;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;

/** Resolved settings of the embedding recommenders (ranking, DCN, two-tower), parsed once. */
record RecsysSettings(
        Kind kind,
        int embeddingDim,
        int[] deep,
        String activation,
        String structure,
        int crossLayers,
        int crossRank,
        double retrievalWeight,
        double ratingWeight,
        boolean retrievalSum,
        boolean logQCorrection,
        String optimizer,
        double lr,
        double epsilon,
        double l2,
        double weightDecay,
        double dropout,
        int batchSize,
        boolean clip,
        int blasThreads,
        List<TowerFeature> userFeatures,
        List<TowerFeature> movieFeatures,
        int featureDim) {

    /** Which network: a rating regressor on concatenated embeddings, a Deep & Cross Network, or two towers. */
    enum Kind { RANKING, DCN, TWO_TOWER }

    static RecsysSettings from(Kind kind, Hyperparams p) {
        return new RecsysSettings(
                kind,
                p.getInt("embedding_dim"),
                p.getIntList("deep"),
                p.getString("activation"),
                p.asMap().containsKey("structure") ? p.getString("structure") : "none",
                p.asMap().containsKey("cross_layers") ? p.getInt("cross_layers") : 0,
                p.asMap().containsKey("cross_rank") ? p.getInt("cross_rank") : 0,
                p.asMap().containsKey("retrieval_weight") ? p.getDouble("retrieval_weight") : 0,
                p.asMap().containsKey("rating_weight") ? p.getDouble("rating_weight") : 1,
                p.asMap().containsKey("retrieval_reduction") && p.getString("retrieval_reduction").equals("sum"),
                p.asMap().containsKey("retrieval_correction") && p.getString("retrieval_correction").equals("logq"),
                p.getString("optimizer"),
                p.getDouble("lr"),
                p.getDouble("epsilon"),
                p.getDouble("l2"),
                p.getDouble("weight_decay"),
                p.getDouble("dropout"),
                p.getInt("batch_size"),
                p.getBoolean("clip"),
                p.getInt("blas_threads"),
                TowerFeature.parse("user_features", p.getString("user_features"), true),
                TowerFeature.parse("movie_features", p.getString("movie_features"), false),
                p.getInt("feature_dim"));
    }

    boolean hasFeatures() { return !userFeatures.isEmpty() || !movieFeatures.isEmpty(); }

    boolean hasRetrieval() { return kind == Kind.TWO_TOWER; }


    /** A list of feature names is checked when the spec is loaded, as the towers will parse it. */
    private static HyperParameter.TextRule features(String setting, boolean user) {
        return text -> {
            try {
                TowerFeature.parse(setting, text, user);
                return null;
            } catch (IllegalArgumentException e) {
                return "names from " + String.join(", ", TowerFeature.names(user)) + ", comma-separated, each at most once"
                        + " (\"\" = id only)";
            }
        };
    }

    /** Feature towers read the users' and movies' features, which only featured data has. */
    static List<SettingConflict> conflicts(Map<String, Object> params, Map<String, Object> datasetOptions) {
        List<SettingConflict> found = new ArrayList<>();
        if (Boolean.TRUE.equals(datasetOptions.get("features"))) return found;
        for (String setting : List.of("user_features", "movie_features")) {
            if (params.get(setting) instanceof String names && !names.isBlank()) {
                found.add(new SettingConflict("model.params." + setting, setting + " '" + names
                        + "' needs the users' and movies' features: set dataset.options.features: true (movielens-100k),"
                        + " or leave it empty for ids only"));
            }
        }
        return found;
    }

    /** The settings every embedding recommender takes, with the given defaults. */
    static List<HyperParameter> common(int embeddingDim, String deep, String optimizer, double lr, int batchSize) {
        List<HyperParameter> l = new ArrayList<>();
        l.add(HyperParameter.integer("embedding_dim", embeddingDim, 1, 4096, "width of the user and movie id embeddings (and of two-tower's feature towers after their projection)"));
        l.add(HyperParameter.intList("deep", deep.isBlank() ? List.of() : Arrays.stream(deep.split(",")).map(Integer::valueOf).toList(),
                1, 65_536, true, "dense layers of the rating head, e.g. [256, 64] ([] = none)"));
        l.add(HyperParameter.choice("activation", "relu", List.of("relu", "sigmoid", "tanh", "elu", "selu", "swish", "gelu"), "activation of the dense layers"));
        l.add(HyperParameter.choice("optimizer", optimizer, Optimisers.NAMES, "optimiser"));
        l.add(HyperParameter.real("lr", lr, 1e-7, 10.0, "learning rate"));
        l.add(HyperParameter.real("epsilon", 1e-7, 0.0, 1.0, "Adam/AdaGrad/RMSprop epsilon (Keras 1e-7)"));
        l.add(HyperParameter.real("l2", 0.0, 0.0, 100.0, "L2 on all weights including embeddings, added to the mean gradient before the optimiser"));
        l.add(HyperParameter.real("weight_decay", 0.0, 0.0, 100.0,
                "decoupled weight decay w -= lr * weight_decay * w after the optimiser (AdamW); unlike l2 under Adam it does not shrink rarely seen embeddings at full step size"));
        l.add(HyperParameter.real("dropout", 0.0, 0.0, 0.95, "drop probability on the inputs of the rating head's dense and output layers"));
        l.add(HyperParameter.integer("batch_size", batchSize, 2, 1_000_000, "ratings per step"));
        l.add(HyperParameter.flag("clip", true, "clip predicted ratings to the rating range"));
        l.add(HyperParameter.text("user_features", "", features("user_features", true),
                "user features beside the id, comma-separated from " + String.join(", ", TowerFeature.names(true))
                        + " (\"\" = id only; needs dataset.options.features: true)"));
        l.add(HyperParameter.text("movie_features", "", features("movie_features", false),
                "movie features beside the id, comma-separated from " + String.join(", ", TowerFeature.names(false))
                        + " (title = bag of title tokens; \"\" = id only; needs dataset.options.features: true)"));
        l.add(HyperParameter.integer("feature_dim", 8, 1, 4096,
                "width of each feature's embedding (categorical) or bias-free projection (genres, title)"));
        l.add(HyperParameter.integer("blas_threads", 0, 0, 256, "ND4J BLAS threads, 0 = keep ND4J's (OMP_NUM_THREADS)"));
        return l;
    }
}
