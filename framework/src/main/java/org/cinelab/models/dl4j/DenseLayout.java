package org.cinelab.models.dl4j;

import org.deeplearning4j.nn.conf.GradientNormalization;
import org.deeplearning4j.nn.conf.MultiLayerConfiguration;
import org.deeplearning4j.nn.conf.dropout.Dropout;
import org.deeplearning4j.nn.conf.layers.BaseLayer;
import org.deeplearning4j.nn.conf.layers.DenseLayer;
import org.deeplearning4j.nn.conf.layers.FeedForwardLayer;
import org.deeplearning4j.nn.conf.layers.OutputLayer;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.nd4j.linalg.activations.IActivation;
import org.nd4j.linalg.activations.impl.ActivationIdentity;
import org.nd4j.linalg.activations.impl.ActivationReLU;
import org.nd4j.linalg.activations.impl.ActivationSigmoid;
import org.nd4j.linalg.activations.impl.ActivationSoftmax;
import org.nd4j.linalg.activations.impl.ActivationTanH;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.lossfunctions.ILossFunction;
import org.nd4j.linalg.lossfunctions.impl.LossBinaryXENT;
import org.nd4j.linalg.lossfunctions.impl.LossMCXENT;
import org.nd4j.linalg.lossfunctions.impl.LossMSE;

import java.util.ArrayList;
import java.util.List;

/**
 * What a DL4J network of dense layers computes, read from its configuration so that
 * {@link DenseTrainer} can train it without DL4J's per-step machinery: each layer's widths,
 * activation and where its weights ({@code [nIn, nOut]}, column-major, as DL4J stores them) and
 * biases sit in the flattened parameters, and the loss. {@link #of} refuses, with the reason, any
 * network that uses something the trainer does not implement; such a network trains through DL4J.
 */
record DenseLayout(List<Layer> layers, Loss loss, double binaryClip) {
    enum Activation { IDENTITY, RELU, SIGMOID, TANH }

    /**
     * DL4J's MSE (the row's squared error over its width), {@link MaskedMseLoss} with its normalisation,
     * MCXENT after softmax, or binary cross-entropy after sigmoid (its clip in {@code binaryClip}).
     */
    enum Loss { MSE, MASKED_ALL_OUTPUTS, MASKED_OBSERVED, MASKED_SUM, SOFTMAX_CROSS_ENTROPY, SIGMOID_BINARY_CROSS_ENTROPY }

    /**
     * One dense layer: {@code out = act(drop(in) · W + b)}; offsets index the flattened parameters (and
     * gradients); {@code retain} is DL4J's dropout retain probability of the layer's input (1: none).
     */
    record Layer(int nIn, int nOut, Activation activation, long weightOffset, long biasOffset, double retain) {
        Layer(int nIn, int nOut, Activation activation, long weightOffset, long biasOffset) {
            this(nIn, nOut, activation, weightOffset, biasOffset, 1);
        }
    }

    /** Thrown by {@link #of} with the first thing that keeps the network on DL4J's own path. */
    static final class UnsupportedNetworkException extends Exception {
        UnsupportedNetworkException(String reason) { super(reason); }
    }

    int inputs() { return layers.get(0).nIn(); }

    int outputs() { return layers.get(layers.size() - 1).nOut(); }

    int widest() { return layers.stream().mapToInt(Layer::nOut).max().orElse(0); }

    static DenseLayout of(MultiLayerNetwork net) throws UnsupportedNetworkException {
        MultiLayerConfiguration conf = net.getLayerWiseConfigurations();
        if (net.params().dataType() != DataType.FLOAT) throw new UnsupportedNetworkException("parameters are not FLOAT");
        if (!conf.getInputPreProcessors().isEmpty()) throw new UnsupportedNetworkException("input preprocessors");
        int n = conf.getConfs().size();
        List<Layer> layers = new ArrayList<>();
        long offset = 0;
        Loss loss = null;
        double binaryClip = 0;
        for (int i = 0; i < n; i++) {
            org.deeplearning4j.nn.conf.layers.Layer l = conf.getConf(i).getLayer();
            boolean last = i == n - 1;
            if (!(last ? l instanceof OutputLayer : l instanceof DenseLayer)) {
                throw new UnsupportedNetworkException("layer " + i + " is a " + l.getClass().getSimpleName()
                        + " (dense layers then one output layer are supported)");
            }
            FeedForwardLayer b = (FeedForwardLayer) l;
            double retain = checkPlain("layer " + i, b);
            if (l instanceof DenseLayer d && (d.hasLayerNorm() || !d.hasBias())) {
                throw new UnsupportedNetworkException("layer " + i + " has layer norm or no bias");
            }
            if (l instanceof OutputLayer o) {
                if (!o.hasBias()) throw new UnsupportedNetworkException("output layer has no bias");
                loss = loss(o.getLossFn(), o.getActivationFn());
                if (o.getLossFn() instanceof LossBinaryXENT x) binaryClip = x.getClipEps();
            }
            // softmax is the loss's: the stack's output stays the logits
            Activation activation = last && loss == Loss.SOFTMAX_CROSS_ENTROPY ? Activation.IDENTITY : activation("layer " + i, b.getActivationFn());
            int nIn = (int) b.getNIn(), nOut = (int) b.getNOut();
            if (!layers.isEmpty() && layers.get(layers.size() - 1).nOut() != nIn) throw new UnsupportedNetworkException("layer widths do not chain");
            layers.add(new Layer(nIn, nOut, activation, offset, offset + (long) nIn * nOut, retain));
            offset += (long) nIn * nOut + nOut;
        }
        if (offset != net.numParams()) throw new UnsupportedNetworkException("parameter layout is not W then b per layer");
        return new DenseLayout(List.copyOf(layers), loss, binaryClip);
    }

    /**
     * Refuses weight noise, constraints, gradient normalisation and dropout other than DL4J's plain
     * (inverted) {@code Dropout} at a fixed rate, which the trainers do not implement.
     *
     * @return the layer's dropout retain probability (1: no dropout)
     */
    static double checkPlain(String layer, BaseLayer b) throws UnsupportedNetworkException {
        double retain = 1;
        if (b.getIDropout() != null) {
            if (b.getIDropout().getClass() != Dropout.class || ((Dropout) b.getIDropout()).getPSchedule() != null) {
                throw new UnsupportedNetworkException(layer + " has dropout " + b.getIDropout());
            }
            retain = ((Dropout) b.getIDropout()).getP();
        }
        if (b.getWeightNoise() != null) throw new UnsupportedNetworkException(layer + " has weight noise");
        if (b.getConstraints() != null && !b.getConstraints().isEmpty()) throw new UnsupportedNetworkException(layer + " has constraints");
        if (b.getGradientNormalization() != null && b.getGradientNormalization() != GradientNormalization.None) {
            throw new UnsupportedNetworkException(layer + " normalises its gradient");
        }
        return retain;
    }

    static Activation activation(String layer, IActivation a) throws UnsupportedNetworkException {
        if (a instanceof ActivationIdentity) return Activation.IDENTITY;
        if (a instanceof ActivationReLU && a.equals(new ActivationReLU())) return Activation.RELU;
        if (a instanceof ActivationSigmoid) return Activation.SIGMOID;
        if (a instanceof ActivationTanH) return Activation.TANH;
        throw new UnsupportedNetworkException(layer + " activation " + a);
    }

    /** The output layer's loss, refusing the pairings with its activation that the trainer does not implement. */
    private static Loss loss(ILossFunction f, IActivation output) throws UnsupportedNetworkException {
        if (output instanceof ActivationSoftmax) {
            if (f instanceof LossMCXENT x && x.getWeights() == null && x.getSoftmaxClipEps() == 1e-10) return Loss.SOFTMAX_CROSS_ENTROPY;
            throw new UnsupportedNetworkException("loss " + f + " after softmax (plain MCXENT is supported)");
        }
        if (f instanceof LossBinaryXENT x && x.getWeights() == null && x.getClipEps() > 0 && x.getClipEps() < 0.5) {
            if (output instanceof ActivationSigmoid) return Loss.SIGMOID_BINARY_CROSS_ENTROPY;
            throw new UnsupportedNetworkException("binary cross-entropy after " + output + " (after sigmoid is supported)");
        }
        if (f instanceof LossMSE mse && mse.getWeights() == null) return Loss.MSE;
        if (f instanceof MaskedMseLoss m) {
            return switch (m.normalisation()) {
                case ALL_OUTPUTS -> Loss.MASKED_ALL_OUTPUTS;
                case OBSERVED -> Loss.MASKED_OBSERVED;
                case SUM -> Loss.MASKED_SUM;
            };
        }
        throw new UnsupportedNetworkException("loss " + f);
    }
}
