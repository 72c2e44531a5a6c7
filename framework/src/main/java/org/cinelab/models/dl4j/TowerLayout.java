package org.cinelab.models.dl4j;

import org.deeplearning4j.nn.conf.ComputationGraphConfiguration;
import org.deeplearning4j.nn.conf.graph.MergeVertex;
import org.deeplearning4j.nn.conf.layers.BaseLayer;
import org.deeplearning4j.nn.conf.layers.DenseLayer;
import org.deeplearning4j.nn.conf.layers.EmbeddingLayer;
import org.deeplearning4j.nn.conf.layers.Layer;
import org.deeplearning4j.nn.conf.layers.LossLayer;
import org.deeplearning4j.nn.conf.layers.OutputLayer;
import org.deeplearning4j.nn.graph.ComputationGraph;
import org.deeplearning4j.nn.updater.BaseMultiLayerUpdater;
import org.deeplearning4j.nn.updater.UpdaterBlock;
import org.nd4j.linalg.activations.impl.ActivationIdentity;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.lossfunctions.ILossFunction;
import org.nd4j.linalg.lossfunctions.impl.LossMSE;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * What an embedding recommender graph computes, read from its DL4J configuration so that
 * {@link TowerTrainer} can train it without DL4J's per-step machinery: two id inputs (user, item),
 * each looked up in an embedding table (identity, no bias), the two rows concatenated ({@code x0}),
 * optionally DCN's cross network on {@code x0} ({@link CrossLayers}), dense layers ending in a
 * one-unit MSE rating output, and optionally an in-batch softmax loss on {@code x0} (two towers);
 * plain dropout on the dense layers' inputs. {@link #of} refuses, with the reason, any other graph
 * (feature towers, ...); those train through DL4J.
 *
 * @param userTable, itemTable the embedding tables ({@code [ids, width]}, column-major as DL4J stores them)
 * @param cross                the cross network on {@code x0}, or null
 * @param parallel             with a cross network: whether it runs beside the head's dense layers, the output
 *                             layer reading [cross output | last dense layer's output] (DCN's parallel structure),
 *                             rather than under them (stacked: the head reads the cross output)
 * @param head                 the dense layers from {@code x0} (stacked: from the cross output) to the rating,
 *                             the output layer last
 * @param ratingWeight         the rating loss's weight (1 when unweighted)
 * @param retrieval            the in-batch softmax on {@code x0}, or null
 */
record TowerLayout(Table userTable, Table itemTable, Cross cross, boolean parallel, List<DenseLayout.Layer> head, float ratingWeight,
                   InBatchSoftmax retrieval) {

    /** An embedding table: {@code ids x width} floats at {@code offset} in the flattened parameters; row k's j-th value at {@code k + j·ids}. */
    record Table(int ids, int width, long offset) {
        long length() { return (long) ids * width; }

        /** The index of row {@code id}'s {@code j}-th value in the flattened parameters (or their gradient). */
        int at(int id, int j) { return (int) (offset + id + (long) j * ids); }
    }

    /** A cross network on {@code width}-wide rows: full-rank layers ({@code rank} 0) or low-rank ones. */
    record Cross(int width, int rank, List<CrossLayer> layers) {}

    /**
     * Where one cross layer's parameters sit (column-major, as {@link CrossLayers} describes them):
     * {@code weight} is {@code W_l}'s offset, or {@code V_l}'s when low-rank, with {@code up} then
     * {@code U_l}'s (else -1); the layer's parameters are exactly {@code [weight, bias + width)}.
     */
    record CrossLayer(long weight, long up, long bias) {}

    int x0Width() { return userTable.width + itemTable.width; }

    static TowerLayout of(ComputationGraph net) throws DenseLayout.UnsupportedNetworkException {
        ComputationGraphConfiguration conf = net.getConfiguration();
        if (net.params().dataType() != DataType.FLOAT) throw new DenseLayout.UnsupportedNetworkException("parameters are not FLOAT");
        List<String> inputs = conf.getNetworkInputs();
        if (inputs.size() != 2) throw new DenseLayout.UnsupportedNetworkException("inputs " + inputs + " (user and item ids only)");
        Map<String, List<String>> consumers = GraphVertices.consumers(conf);
        Map<String, long[]> offsets = paramOffsets(net);
        String userLayer = GraphVertices.only(consumers, inputs.get(0)), itemLayer = GraphVertices.only(consumers, inputs.get(1));
        Table users = table(conf, userLayer, offsets), items = table(conf, itemLayer, offsets);
        String x0 = GraphVertices.only(consumers, userLayer);
        if (!(conf.getVertices().get(x0) instanceof MergeVertex) || !conf.getVertexInputs().get(x0).equals(List.of(userLayer, itemLayer))
                || !GraphVertices.only(consumers, itemLayer).equals(x0)) {
            throw new DenseLayout.UnsupportedNetworkException("the embeddings are not concatenated user then item");
        }
        InBatchSoftmax retrieval = null;
        Cross cross = null;
        String parallelCross = null; // the cross vertex beside the dense layers, until the merge
        boolean merged = false;
        List<DenseLayout.Layer> head = new ArrayList<>();
        float ratingWeight = 1;
        String at = x0;
        int width = users.width + items.width;
        int seen = 2 + 1 + inputs.size();
        while (true) {
            List<String> next = new ArrayList<>(consumers.getOrDefault(at, List.of()));
            if (at.equals(x0)) {
                for (String v : List.copyOf(next)) {
                    if (GraphVertices.layer(conf, v) instanceof LossLayer loss) {
                        retrieval = retrieval(loss);
                        next.remove(v);
                        seen++;
                    }
                }
            }
            if (at.equals(x0) && next.size() == 2) {
                int i = GraphVertices.layer(conf, next.get(0)) instanceof CrossLayers ? 0 : GraphVertices.layer(conf, next.get(1)) instanceof CrossLayers ? 1 : -1;
                if (i >= 0) {
                    parallelCross = next.remove(i);
                    cross = cross(parallelCross, (CrossLayers) GraphVertices.layer(conf, parallelCross), width, offsets);
                    seen++;
                }
            }
            if (next.size() != 1) throw new DenseLayout.UnsupportedNetworkException("vertex " + at + " feeds " + next + " (one chain expected)");
            String v = next.get(0);
            Layer l = GraphVertices.layer(conf, v);
            seen++;
            if (l instanceof CrossLayers c) {
                if (cross != null) throw new DenseLayout.UnsupportedNetworkException("a second cross network " + v);
                if (!at.equals(x0)) throw new DenseLayout.UnsupportedNetworkException("cross network " + v + " does not read x0");
                cross = cross(v, c, width, offsets);
                at = v;
            } else if (parallelCross != null && !merged && conf.getVertices().get(v) instanceof MergeVertex) {
                if (!conf.getVertexInputs().get(v).equals(List.of(parallelCross, at)) || !GraphVertices.only(consumers, parallelCross).equals(v)) {
                    throw new DenseLayout.UnsupportedNetworkException("merge " + v + " does not concatenate " + parallelCross + " then " + at);
                }
                merged = true;
                width += cross.width();
                at = v;
            } else if (l instanceof DenseLayer d) {
                if (d.hasLayerNorm() || !d.hasBias()) throw new DenseLayout.UnsupportedNetworkException("layer " + v + " has layer norm or no bias");
                head.add(dense(v, d, width, offsets));
                width = (int) d.getNOut();
                at = v;
            } else if (l instanceof OutputLayer o) {
                if (o.getNOut() != 1 || !o.hasBias() || !(o.getActivationFn() instanceof ActivationIdentity)) {
                    throw new DenseLayout.UnsupportedNetworkException("output " + v + " is not one identity unit with a bias");
                }
                if (parallelCross != null && !merged) throw new DenseLayout.UnsupportedNetworkException("cross network " + parallelCross + " does not reach the rating");
                ratingWeight = mseWeight(o.getLossFn());
                head.add(dense(v, o, width, offsets));
                break;
            } else {
                throw new DenseLayout.UnsupportedNetworkException("vertex " + v + " is a " + (l == null ? conf.getVertices().get(v) : l).getClass().getSimpleName());
            }
        }
        if (seen != conf.getVertices().size() + inputs.size()) throw new DenseLayout.UnsupportedNetworkException("the graph has other vertices");
        if (retrieval != null && users.width != items.width) throw new DenseLayout.UnsupportedNetworkException("towers of different widths");
        return new TowerLayout(users, items, cross, parallelCross != null, List.copyOf(head), ratingWeight, retrieval);
    }

    private static Cross cross(String vertex, CrossLayers c, int width, Map<String, long[]> offsets)
            throws DenseLayout.UnsupportedNetworkException {
        if (c.width() != width) throw new DenseLayout.UnsupportedNetworkException("cross network " + vertex + " takes " + c.width() + " inputs, not " + width);
        if (!(c instanceof BaseLayer b) || checkPlain(vertex, b) != 1) throw new DenseLayout.UnsupportedNetworkException("cross network " + vertex + " has dropout");
        long w = width, r = c.rank();
        List<CrossLayer> layers = new ArrayList<>();
        for (int l = 0; l < c.layers(); l++) {
            long weight, up = -1, end;
            if (r == 0) {
                weight = offset(offsets, vertex, CrossLayers.WEIGHT + l, w * w);
                end = weight + w * w;
            } else {
                weight = offset(offsets, vertex, CrossLayers.DOWN + l, w * r);
                up = offset(offsets, vertex, CrossLayers.UP + l, r * w);
                end = up + r * w;
                if (up != weight + w * r) end = -1;
            }
            long bias = offset(offsets, vertex, CrossLayers.BIAS + l, w);
            // the trainer updates [weight, bias + width) as one layer: nothing else may sit in between
            if (bias != end) throw new DenseLayout.UnsupportedNetworkException("cross network " + vertex + "'s layer " + l + " parameters are not contiguous");
            layers.add(new CrossLayer(weight, up, bias));
        }
        return new Cross(width, c.rank(), List.copyOf(layers));
    }

    /** (layer name + "_" + param name) -> [start, end) in the flattened parameters, from DL4J's updater. */
    private static Map<String, long[]> paramOffsets(ComputationGraph net) {
        BaseMultiLayerUpdater<?> updater = net.getUpdater(true);
        Map<String, long[]> offsets = new HashMap<>();
        for (UpdaterBlock block : updater.getUpdaterBlocks()) {
            for (UpdaterBlock.ParamState p : block.getLayersAndVariablesInBlock()) {
                offsets.put(p.getLayer().getConfig().getLayerName() + "_" + p.getParamName(), new long[]{p.getParamOffsetStart(), p.getParamOffsetEnd()});
            }
        }
        return offsets;
    }

    private static long offset(Map<String, long[]> offsets, String layer, String param, long length) throws DenseLayout.UnsupportedNetworkException {
        long[] range = offsets.get(layer + "_" + param);
        if (range == null || range[1] - range[0] != length) throw new DenseLayout.UnsupportedNetworkException("parameter " + layer + "_" + param);
        return range[0];
    }

    private static Table table(ComputationGraphConfiguration conf, String vertex, Map<String, long[]> offsets)
            throws DenseLayout.UnsupportedNetworkException {
        if (!(GraphVertices.layer(conf, vertex) instanceof EmbeddingLayer e) || e.hasBias() || !(e.getActivationFn() instanceof ActivationIdentity)) {
            throw new DenseLayout.UnsupportedNetworkException("input " + vertex + " is not an identity embedding without bias");
        }
        if (checkPlain(vertex, e) != 1) throw new DenseLayout.UnsupportedNetworkException("embedding " + vertex + " has dropout");
        Table t = new Table((int) e.getNIn(), (int) e.getNOut(), 0);
        return new Table(t.ids, t.width, offset(offsets, vertex, "W", t.length()));
    }

    private static DenseLayout.Layer dense(String vertex, org.deeplearning4j.nn.conf.layers.FeedForwardLayer l, int width,
                                           Map<String, long[]> offsets) throws DenseLayout.UnsupportedNetworkException {
        int nIn = (int) l.getNIn(), nOut = (int) l.getNOut();
        if (nIn != width) throw new DenseLayout.UnsupportedNetworkException("layer " + vertex + " takes " + nIn + " inputs, not " + width);
        double retain = checkPlain(vertex, (BaseLayer) l);
        return new DenseLayout.Layer(nIn, nOut, DenseLayout.activation(vertex, ((BaseLayer) l).getActivationFn()),
                offset(offsets, vertex, "W", (long) nIn * nOut), offset(offsets, vertex, "b", nOut), retain);
    }

    private static double checkPlain(String vertex, BaseLayer b) throws DenseLayout.UnsupportedNetworkException {
        return DenseLayout.checkPlain(vertex, b);
    }

    private static float mseWeight(ILossFunction f) throws DenseLayout.UnsupportedNetworkException {
        if (!(f instanceof LossMSE mse)) throw new DenseLayout.UnsupportedNetworkException("rating loss " + f);
        if (mse.getWeights() == null) return 1;
        if (mse.getWeights().length() != 1) throw new DenseLayout.UnsupportedNetworkException("rating loss weights " + mse.getWeights());
        return mse.getWeights().getFloat(0);
    }

    private static InBatchSoftmax retrieval(LossLayer loss) throws DenseLayout.UnsupportedNetworkException {
        if (!(loss.getLossFn() instanceof InBatchSoftmax l) || !(loss.getActivationFn() instanceof ActivationIdentity)
                || loss.getIDropout() != null) {
            throw new DenseLayout.UnsupportedNetworkException("loss layer " + loss.getLossFn());
        }
        return l;
    }
}
