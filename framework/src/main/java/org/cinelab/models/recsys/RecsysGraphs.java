package org.cinelab.models.recsys;

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
 * {@code item_tower} (id embeddings), {@code x0} (their concatenation), then
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

    static ComputationGraphConfiguration build(RecsysSettings s, int numUsers, int numItems, double meanRating, long seed) {
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
                .addInputs(RecsysInputs.USER, RecsysInputs.ITEM);
        int d = s.embeddingDim();
        g.addLayer(USER_TOWER, new EmbeddingLayer.Builder().nIn(numUsers).nOut(d).activation(Activation.IDENTITY)
                .weightInit(KERAS_EMBEDDING_INIT).build(), RecsysInputs.USER);
        g.addLayer(ITEM_TOWER, new EmbeddingLayer.Builder().nIn(numItems).nOut(d).activation(Activation.IDENTITY)
                .weightInit(KERAS_EMBEDDING_INIT).build(), RecsysInputs.ITEM);
        g.addVertex("x0", new MergeVertex(), USER_TOWER, ITEM_TOWER);

        List<String> outputs = new ArrayList<>();
        String head = switch (s.kind()) {
            case RANKING, TWO_TOWER -> deep(g, s, "x0", 2 * d);
            case DCN -> dcn(g, s, 2 * d);
        };
        int headWidth = lastWidth(s, 2 * d);
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
    static long multiplyAdds(RecsysSettings s) {
        int x0 = 2 * s.embeddingDim();
        long macs = 0;
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
