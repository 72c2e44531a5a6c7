package org.cinelab.models.dl4j;

import org.cinelab.models.layers.FusedLstm;
import org.cinelab.models.layers.SequenceEmbedding;
import org.deeplearning4j.nn.api.Layer;
import org.deeplearning4j.nn.conf.ComputationGraphConfiguration;
import org.deeplearning4j.nn.conf.RNNFormat;
import org.deeplearning4j.nn.conf.graph.MergeVertex;
import org.deeplearning4j.nn.conf.layers.FeedForwardLayer;
import org.deeplearning4j.nn.conf.layers.OutputLayer;
import org.deeplearning4j.nn.conf.layers.recurrent.LastTimeStep;
import org.deeplearning4j.nn.graph.ComputationGraph;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.nd4j.linalg.activations.IActivation;
import org.nd4j.linalg.activations.impl.ActivationGELU;
import org.nd4j.linalg.activations.impl.ActivationIdentity;
import org.nd4j.linalg.activations.impl.ActivationReLU;
import org.nd4j.linalg.activations.impl.ActivationSELU;
import org.nd4j.linalg.activations.impl.ActivationSigmoid;
import org.nd4j.linalg.activations.impl.ActivationSoftmax;
import org.nd4j.linalg.activations.impl.ActivationSwish;
import org.nd4j.linalg.activations.impl.ActivationTanH;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.lossfunctions.ILossFunction;
import org.nd4j.linalg.lossfunctions.impl.LossMCXENT;
import org.nd4j.linalg.lossfunctions.impl.LossMSE;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * What a DL4J recurrent network of CineLab's layers computes, read from its configuration so that
 * {@link SequenceTrainer} can train it without DL4J's per-step machinery: per step {@code channels}
 * continuous inputs and/or one id looked up in a {@link SequenceEmbedding} (identity, no bias;
 * concatenated after the channels, as a {@code MergeVertex(steps, embedding)} does), a chain of
 * {@link FusedLstm} layers of which the last sits in {@code LastTimeStep}, and one output layer: softmax
 * with multi-class cross-entropy, or MSE after identity, ReLU, sigmoid, tanh, swish, GELU (DL4J's
 * sigmoid approximation) or SELU. Plain dropout on the
 * inputs of the LSTM and output layers. {@link #of} refuses, with the reason, anything else (DL4J's own
 * LSTM, masks in the configuration, preprocessors, other vertices); those networks train through DL4J.
 *
 * @param channels  continuous inputs per step (0 when the ids are the only input)
 * @param embedding the id embedding table ({@code [ids, width]} column-major), or null
 * @param recurrent the LSTM layers, bottom first
 * @param output     the output layer's weights, computing pre-activations (its activation recorded as identity)
 * @param activation the output layer's activation
 */
record SequenceLayout(int channels, TowerLayout.Table embedding, List<Recurrent> recurrent, DenseLayout.Layer output,
                      OutputActivation activation) {

    /**
     * The output layer's activation, applied by the trainer to the pre-activations (the output layer
     * itself runs as identity): a rating head's final activation, or softmax before cross-entropy.
     */
    enum OutputActivation { IDENTITY, RELU, SIGMOID, TANH, SWISH, GELU, SELU, SOFTMAX }

    /**
     * One LSTM layer: offsets of {@code W} ({@code [nIn, 4H]}), {@code RW} ({@code [H, 4H]}), both
     * column-major, and {@code b} ({@code [4H]}) in the flattened parameters, which DL4J keeps
     * contiguous in that order; {@code retain} is DL4J's dropout retain probability of its input.
     */
    record Recurrent(int nIn, int hidden, long w, long rw, long b, double retain) {
        long end() { return b + 4L * hidden; }
    }

    int inputWidth() { return channels + (embedding == null ? 0 : embedding.width()); }

    /** A MultiLayerNetwork: [SequenceEmbedding], FusedLstm..., LastTimeStep(FusedLstm), OutputLayer. */
    static SequenceLayout of(MultiLayerNetwork net) throws DenseLayout.UnsupportedNetworkException {
        if (net.params().dataType() != DataType.FLOAT) throw new DenseLayout.UnsupportedNetworkException("parameters are not FLOAT");
        if (!net.getLayerWiseConfigurations().getInputPreProcessors().isEmpty()) throw new DenseLayout.UnsupportedNetworkException("input preprocessors");
        Layer[] layers = net.getLayers();
        org.deeplearning4j.nn.conf.layers.Layer[] confs = new org.deeplearning4j.nn.conf.layers.Layer[layers.length];
        for (int k = 0; k < layers.length; k++) confs[k] = net.getLayerWiseConfigurations().getConf(k).getLayer(); // wrappers' own, not the wrapped
        int i = 0;
        TowerLayout.Table embedding = null;
        int channels;
        if (confs[0] instanceof SequenceEmbedding e) {
            embedding = table("layer 0", e, layers[0], net.params());
            channels = 0;
            i = 1;
        } else if (underlying(confs[0]) instanceof FusedLstm l) {
            channels = (int) l.getNIn();
        } else {
            throw new DenseLayout.UnsupportedNetworkException("layer 0 is a " + confs[0].getClass().getSimpleName()
                    + " (an optional SequenceEmbedding, FusedLstm layers, LastTimeStep and an output layer are supported)");
        }
        List<Recurrent> recurrent = new ArrayList<>();
        int width = channels + (embedding == null ? 0 : embedding.width());
        for (; i < layers.length - 1; i++) {
            Recurrent r = recurrent("layer " + i, confs[i], layers[i], width, i == layers.length - 2, net.params());
            recurrent.add(r);
            width = r.hidden();
        }
        if (recurrent.isEmpty()) throw new DenseLayout.UnsupportedNetworkException("no FusedLstm layer");
        return output("layer " + (layers.length - 1), confs[layers.length - 1], layers[layers.length - 1], width, channels, embedding,
                recurrent, net.params());
    }

    /**
     * A ComputationGraph: input {@code steps} ([batch, channels, length]) into the first LSTM, or
     * inputs {@code steps} and ids ([batch, length]) whose embedding a MergeVertex appends to the
     * channels; then the chain as for a MultiLayerNetwork.
     */
    static SequenceLayout of(ComputationGraph net) throws DenseLayout.UnsupportedNetworkException {
        ComputationGraphConfiguration conf = net.getConfiguration();
        if (net.params().dataType() != DataType.FLOAT) throw new DenseLayout.UnsupportedNetworkException("parameters are not FLOAT");
        List<String> inputs = conf.getNetworkInputs();
        if (inputs.isEmpty() || inputs.size() > 2) throw new DenseLayout.UnsupportedNetworkException("inputs " + inputs + " (steps, and optionally ids)");
        Map<String, List<String>> consumers = GraphVertices.consumers(conf);
        TowerLayout.Table embedding = null;
        String at = inputs.get(0);
        int seen = inputs.size();
        if (inputs.size() == 2) {
            String embed = GraphVertices.only(consumers, inputs.get(1));
            if (!(GraphVertices.layer(conf, embed) instanceof SequenceEmbedding e)) {
                throw new DenseLayout.UnsupportedNetworkException("input " + inputs.get(1) + " does not feed a SequenceEmbedding");
            }
            embedding = table(embed, e, net.getLayer(embed), net.params());
            String merge = GraphVertices.only(consumers, embed);
            if (!(conf.getVertices().get(merge) instanceof MergeVertex) || !conf.getVertexInputs().get(merge).equals(List.of(at, embed))
                    || !GraphVertices.only(consumers, at).equals(merge)) {
                throw new DenseLayout.UnsupportedNetworkException("the embedding is not appended to " + at + " by one MergeVertex");
            }
            seen += 2;
            at = merge;
        }
        String first = GraphVertices.only(consumers, at);
        if (!(GraphVertices.layer(conf, first) instanceof FusedLstm || GraphVertices.layer(conf, first) instanceof LastTimeStep)) {
            throw new DenseLayout.UnsupportedNetworkException("vertex " + first + " is not a FusedLstm");
        }
        int channels = (int) ((FeedForwardLayer) underlying(GraphVertices.layer(conf, first))).getNIn() - (embedding == null ? 0 : embedding.width());
        if (channels < 0) throw new DenseLayout.UnsupportedNetworkException("vertex " + first + " takes fewer inputs than the embedding gives");
        int width = channels + (embedding == null ? 0 : embedding.width());
        List<Recurrent> recurrent = new ArrayList<>();
        boolean ended = false; // after the LastTimeStep layer
        while (true) {
            String v = GraphVertices.only(consumers, at);
            org.deeplearning4j.nn.conf.layers.Layer l = GraphVertices.layer(conf, v);
            seen++;
            if (ended) {
                if (!(l instanceof OutputLayer) || !consumers.getOrDefault(v, List.of()).isEmpty()) {
                    throw new DenseLayout.UnsupportedNetworkException("vertex " + v + " after the LastTimeStep is not the output layer");
                }
                if (seen != conf.getVertices().size() + inputs.size()) throw new DenseLayout.UnsupportedNetworkException("the graph has other vertices");
                return output(v, l, net.getLayer(v), width, channels, embedding, recurrent, net.params());
            }
            ended = l instanceof LastTimeStep;
            Recurrent r = recurrent(v, l, net.getLayer(v), width, ended, net.params());
            recurrent.add(r);
            width = r.hidden();
            at = v;
        }
    }

    private static org.deeplearning4j.nn.conf.layers.Layer underlying(org.deeplearning4j.nn.conf.layers.Layer l) {
        return l instanceof LastTimeStep t ? t.getUnderlying() : l;
    }

    private static TowerLayout.Table table(String name, SequenceEmbedding e, Layer layer, INDArray params)
            throws DenseLayout.UnsupportedNetworkException {
        if (e.hasBias() || e.outputFormat() != RNNFormat.NCW) throw new DenseLayout.UnsupportedNetworkException(name + " has a bias or NWC output");
        DenseLayout.checkPlain(name, e);
        int ids = (int) e.getNIn(), width = (int) e.getNOut();
        return new TowerLayout.Table(ids, width, offset(name, layer, "W", params, ids, width));
    }

    /** A FusedLstm (wrapped in LastTimeStep when {@code last}, and only then) reading {@code width} inputs. */
    private static Recurrent recurrent(String name, org.deeplearning4j.nn.conf.layers.Layer l, Layer layer, int width, boolean last,
                                       INDArray params) throws DenseLayout.UnsupportedNetworkException {
        if (l == null) throw new DenseLayout.UnsupportedNetworkException(name + " is not a layer without preprocessor");
        if (last != l instanceof LastTimeStep) {
            throw new DenseLayout.UnsupportedNetworkException(name + (last ? " is not a LastTimeStep" : " is a LastTimeStep before the last LSTM"));
        }
        if (!(underlying(l) instanceof FusedLstm f)) {
            throw new DenseLayout.UnsupportedNetworkException(name + " is a " + underlying(l).getClass().getSimpleName() + " (FusedLstm is supported)");
        }
        if (f.getNIn() != width) throw new DenseLayout.UnsupportedNetworkException(name + " takes " + f.getNIn() + " inputs, not " + width);
        if (f.getRnnDataFormat() != RNNFormat.NCW) throw new DenseLayout.UnsupportedNetworkException(name + " is NWC");
        double retain = DenseLayout.checkPlain(name, f);
        int in = (int) f.getNIn(), h = (int) f.getNOut();
        long w = offset(name, layer, "W", params, in, 4 * h), rw = offset(name, layer, "RW", params, h, 4 * h);
        long b = offset(name, layer, "b", params, 1, 4 * h);
        if (rw != w + (long) in * 4 * h || b != rw + (long) h * 4 * h) throw new DenseLayout.UnsupportedNetworkException(name + " parameters are not W, RW, b");
        return new Recurrent(in, h, w, rw, b, retain);
    }

    private static SequenceLayout output(String name, org.deeplearning4j.nn.conf.layers.Layer l, Layer layer, int width, int channels,
                                         TowerLayout.Table embedding, List<Recurrent> recurrent, INDArray params)
            throws DenseLayout.UnsupportedNetworkException {
        if (!(l instanceof OutputLayer o) || !o.hasBias()) throw new DenseLayout.UnsupportedNetworkException(name + " is not an output layer with a bias");
        if (o.getNIn() != width) throw new DenseLayout.UnsupportedNetworkException(name + " takes " + o.getNIn() + " inputs, not " + width);
        double retain = DenseLayout.checkPlain(name, o);
        ILossFunction loss = o.getLossFn();
        IActivation fn = o.getActivationFn();
        boolean softmax = fn instanceof ActivationSoftmax;
        if (softmax ? !(loss instanceof LossMCXENT x) || x.getWeights() != null || x.getSoftmaxClipEps() != 1e-10
                : !(loss instanceof LossMSE mse) || mse.getWeights() != null) {
            throw new DenseLayout.UnsupportedNetworkException(name + " has loss " + loss + " with activation " + o.getActivationFn()
                    + " (softmax with plain MCXENT, or MSE, is supported)");
        }
        OutputActivation activation;
        if (softmax) activation = OutputActivation.SOFTMAX;
        else if (fn instanceof ActivationIdentity) activation = OutputActivation.IDENTITY;
        else if (fn instanceof ActivationReLU && fn.equals(new ActivationReLU())) activation = OutputActivation.RELU;
        else if (fn instanceof ActivationSigmoid) activation = OutputActivation.SIGMOID;
        else if (fn instanceof ActivationTanH) activation = OutputActivation.TANH;
        else if (fn instanceof ActivationSwish) activation = OutputActivation.SWISH;
        else if (fn instanceof ActivationGELU g && !g.isPrecise()) activation = OutputActivation.GELU;
        else if (fn instanceof ActivationSELU) activation = OutputActivation.SELU;
        else throw new DenseLayout.UnsupportedNetworkException(name + " activation " + fn);
        int nOut = (int) o.getNOut();
        long w = offset(name, layer, "W", params, width, nOut), b = offset(name, layer, "b", params, 1, nOut);
        if (b != w + (long) width * nOut) throw new DenseLayout.UnsupportedNetworkException(name + " parameters are not W then b");
        return new SequenceLayout(channels, embedding, List.copyOf(recurrent),
                new DenseLayout.Layer(width, nOut, DenseLayout.Activation.IDENTITY, w, b, retain), activation);
    }

    /** Offset of a layer's {@code [rows, columns]} column-major parameter (a vector when rows is 1) in the flattened parameters. */
    private static long offset(String name, Layer layer, String param, INDArray params, long rows, long columns)
            throws DenseLayout.UnsupportedNetworkException {
        INDArray p = layer.getParam(param);
        boolean columnMajor = p != null && p.dataType() == DataType.FLOAT && p.length() == rows * columns
                && (rows == 1 ? p.elementWiseStride() == 1 : p.rank() == 2 && p.size(0) == rows && p.stride(0) == 1 && p.stride(1) == rows);
        long bytes = columnMajor ? p.data().address() + p.offset() * Float.BYTES - (params.data().address() + params.offset() * Float.BYTES) : -1;
        if (bytes < 0 || bytes % Float.BYTES != 0 || bytes / Float.BYTES + rows * columns > params.length()) {
            throw new DenseLayout.UnsupportedNetworkException(name + " parameter " + param + " is not a column-major view of the network's");
        }
        return bytes / Float.BYTES;
    }
}
