package org.cinelab.models.recsys;

import org.cinelab.data.MovieLensFeatures;
import org.deeplearning4j.nn.conf.ComputationGraphConfiguration;
import org.deeplearning4j.nn.conf.NeuralNetConfiguration;
import org.deeplearning4j.nn.conf.WorkspaceMode;
import org.deeplearning4j.nn.conf.distribution.UniformDistribution;
import org.deeplearning4j.nn.conf.graph.MergeVertex;
import org.deeplearning4j.nn.conf.layers.DenseLayer;
import org.deeplearning4j.nn.conf.layers.EmbeddingLayer;
import org.deeplearning4j.nn.conf.layers.LossLayer;
import org.deeplearning4j.nn.conf.layers.OutputLayer;
import org.deeplearning4j.nn.weights.WeightInit;
import org.nd4j.linalg.activations.Activation;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.lossfunctions.impl.LossMSE;
import org.cinelab.models.dl4j.Optimisers;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * Builds the ComputationGraph of an embedding recommender (the rating output's bias starts at the
 * training mean). Vertices: {@code user_tower} and
 * {@code item_tower} (id embeddings, or with features see {@link #tower}), {@code x0} (their concatenation), then
 * <ul>
 *   <li>RANKING: {@code x0 -> deep -> rating};</li>
 *   <li>DCN stacked: {@code x0 -> cross -> deep -> rating}; parallel: {@code [cross(x0) | deep(x0)] -> rating};</li>
 *   <li>TWO_TOWER: {@code [user_tower | item_tower] -> retrieval} (in-batch softmax) plus the RANKING head,
 *       the two losses weighted by {@code retrieval_weight} and {@code rating_weight}.</li>
 * </ul>
 */
final class RecsysGraphs {
    static final String RATING = "rating";
    static final String RETRIEVAL = "retrieval";
    static final String USER_TOWER = "user_tower";
    static final String ITEM_TOWER = "item_tower";

    /**
     * Keras's Embedding default, U(-0.05, 0.05), as in the TFRS models the study used. DL4J's NORMAL
     * gives an embedding N(0, 1) rows (its fan-in is 1), whose 32-dim dot products start the
     * in-batch softmax at a loss of ~18 instead of log(batch).
     */
    private static final UniformDistribution KERAS_EMBEDDING_INIT = new UniformDistribution(-0.05, 0.05);

    private RecsysGraphs() {}

    static ComputationGraphConfiguration build(RecsysSettings s, int numUsers, int numItems, MovieLensFeatures features,
                                               double meanRating, long seed) {
        NeuralNetConfiguration.Builder b = new NeuralNetConfiguration.Builder()
                .seed(seed)
                .dataType(DataType.FLOAT)
                .trainingWorkspaceMode(WorkspaceMode.ENABLED)
                .inferenceWorkspaceMode(WorkspaceMode.ENABLED)
                .weightInit(WeightInit.XAVIER)
                .updater(Optimisers.create(s.optimizer(), s.lr(), 0.9, s.epsilon()));
        if (s.l2() > 0) b.l2(s.l2());
        if (s.weightDecay() > 0) b.weightDecay(s.weightDecay(), true);
        ComputationGraphConfiguration.GraphBuilder g = b.graphBuilder()
                .addInputs(inputs(s, features).names());
        int x0Width = tower(g, s, USER_TOWER, RecsysInputs.USER, numUsers, s.userFeatures(), features)
                + tower(g, s, ITEM_TOWER, RecsysInputs.ITEM, numItems, s.movieFeatures(), features);
        g.addVertex("x0", new MergeVertex(), USER_TOWER, ITEM_TOWER);

        List<String> outputs = new ArrayList<>();
        String head = switch (s.kind()) {
            case RANKING, TWO_TOWER -> deep(g, s, "x0", x0Width);
            case DCN -> dcn(g, s, x0Width);
        };
        int headWidth = lastWidth(s, x0Width);
        LossMSE mse = s.ratingWeight() == 1.0 ? new LossMSE() : new LossMSE(Nd4j.createFromArray(new float[]{(float) s.ratingWeight()}));
        OutputLayer.Builder rating = new OutputLayer.Builder(mse).nIn(headWidth).nOut(1).activation(Activation.IDENTITY).biasInit(meanRating);
        if (s.dropout() > 0) rating.dropOut(1 - s.dropout());
        g.addLayer(RATING, rating.build(), head);
        outputs.add(RATING);
        if (s.hasRetrieval()) {
            g.addLayer(RETRIEVAL, new LossLayer.Builder(new InBatchSoftmaxLoss(s.retrievalWeight(), s.retrievalSum(), s.logQCorrection()))
                    .activation(Activation.IDENTITY).build(), "x0");
            outputs.add(RETRIEVAL);
        }
        g.setOutputs(outputs.toArray(String[]::new));
        return g.build();
    }

    /** The inputs a graph built from {@code s} takes: ids, then the user's and the movie's features. */
    static RecsysInputs inputs(RecsysSettings s, MovieLensFeatures features) {
        if (!s.hasFeatures()) return new RecsysInputs();
        if (features == null) {
            throw new IllegalArgumentException("user_features/movie_features need the users' and movies' features, which this data"
                    + " was loaded without: set dataset.options.features: true (movielens-100k), or leave both empty for ids only");
        }
        List<TowerFeature> all = new ArrayList<>(s.userFeatures());
        all.addAll(s.movieFeatures());
        return new RecsysInputs(all, features);
    }

    /**
     * One tower, output vertex {@code name}; returns its width. Without features it is the id
     * embedding (today's graph). With features: concat(id embedding, one {@code feature_dim} vector
     * per feature), where a categorical feature is an embedding and a multi-hot one a bias-free
     * projection (the sum of its values' embeddings); two-tower then projects the concat linearly to
     * {@code embedding_dim}, since its score is a dot product of the two towers.
     */
    private static int tower(ComputationGraphConfiguration.GraphBuilder g, RecsysSettings s, String name, String idInput,
                             int numIds, List<TowerFeature> towerFeatures, MovieLensFeatures values) {
        int d = s.embeddingDim();
        String idLayer = towerFeatures.isEmpty() ? name : name + "_id";
        g.addLayer(idLayer, new EmbeddingLayer.Builder().nIn(numIds).nOut(d).activation(Activation.IDENTITY)
                .weightInit(KERAS_EMBEDDING_INIT).build(), idInput);
        if (towerFeatures.isEmpty()) return d;
        List<String> parts = new ArrayList<>(List.of(idLayer));
        for (TowerFeature f : towerFeatures) {
            String layer = f.inputName() + "_embedding";
            int size = f.size(values);
            g.addLayer(layer, f.multiHot
                    ? new DenseLayer.Builder().nIn(size).nOut(s.featureDim()).hasBias(false).activation(Activation.IDENTITY)
                            .weightInit(KERAS_EMBEDDING_INIT).build()
                    : new EmbeddingLayer.Builder().nIn(size).nOut(s.featureDim()).activation(Activation.IDENTITY)
                            .weightInit(KERAS_EMBEDDING_INIT).build(), f.inputName());
            parts.add(layer);
        }
        int width = d + towerFeatures.size() * s.featureDim();
        if (!s.hasRetrieval()) {
            g.addVertex(name, new MergeVertex(), parts.toArray(String[]::new));
            return width;
        }
        g.addVertex(name + "_concat", new MergeVertex(), parts.toArray(String[]::new));
        g.addLayer(name, new DenseLayer.Builder().nIn(width).nOut(d).activation(Activation.IDENTITY).build(), name + "_concat");
        return d;
    }

    /** Dense layers from {@code input}; returns the last vertex name ({@code input} when there are none). */
    private static String deep(ComputationGraphConfiguration.GraphBuilder g, RecsysSettings s, String input, int width) {
        String prev = input;
        int in = width;
        for (int i = 0; i < s.deep().length; i++) {
            String name = "deep" + i;
            DenseLayer.Builder layer = new DenseLayer.Builder().nIn(in).nOut(s.deep()[i])
                    .activation(Activation.valueOf(s.activation().toUpperCase(Locale.ROOT)));
            if (s.dropout() > 0) layer.dropOut(1 - s.dropout());
            g.addLayer(name, layer.build(), prev);
            prev = name;
            in = s.deep()[i];
        }
        return prev;
    }

    private static String dcn(ComputationGraphConfiguration.GraphBuilder g, RecsysSettings s, int width) {
        g.addLayer("cross", new CrossNetworkLayer(width, s.crossLayers(), s.crossRank()), "x0");
        if (s.structure().equals("stacked")) return deep(g, s, "cross", width);
        String deepOut = deep(g, s, "x0", width);
        g.addVertex("cross_deep", new MergeVertex(), "cross", deepOut);
        return "cross_deep";
    }

    /** Width of the vertex the rating output reads. */
    static int lastWidth(RecsysSettings s, int x0Width) {
        int deepOut = s.deep().length == 0 ? x0Width : s.deep()[s.deep().length - 1];
        if (s.kind() == RecsysSettings.Kind.DCN && s.structure().equals("parallel")) return x0Width + deepOut;
        return deepOut;
    }

    /** Multiply-adds of the dense parts per example (embedding lookups excluded), for throughput figures. */
    static long multiplyAdds(RecsysSettings s, MovieLensFeatures features) {
        int d = s.embeddingDim(), x0 = 0;
        long macs = 0;
        for (List<TowerFeature> tower : List.of(s.userFeatures(), s.movieFeatures())) {
            int width = d + tower.size() * s.featureDim();
            for (TowerFeature f : tower) if (f.multiHot) macs += (long) f.size(features) * s.featureDim();
            if (s.hasRetrieval() && !tower.isEmpty()) {
                macs += (long) width * d;
                width = d;
            }
            x0 += width;
        }
        int in = x0;
        for (int w : s.deep()) {
            macs += (long) in * w;
            in = w;
        }
        macs += lastWidth(s, x0);
        if (s.kind() == RecsysSettings.Kind.DCN) macs += new CrossNetworkLayer(x0, s.crossLayers(), s.crossRank()).multiplyAdds();
        if (s.hasRetrieval()) macs += (long) s.batchSize() * s.embeddingDim(); // in-batch scores per example
        return macs;
    }
}
