package org.cinelab.models.layers;

import org.deeplearning4j.nn.api.ParamInitializer;
import org.deeplearning4j.nn.conf.InputPreProcessor;
import org.deeplearning4j.nn.conf.NeuralNetConfiguration;
import org.deeplearning4j.nn.conf.RNNFormat;
import org.deeplearning4j.nn.conf.inputs.InputType;
import org.deeplearning4j.nn.conf.layers.FeedForwardLayer;
import org.deeplearning4j.nn.conf.layers.LayerValidation;
import org.deeplearning4j.nn.conf.memory.LayerMemoryReport;
import org.deeplearning4j.nn.conf.memory.MemoryReport;
import org.deeplearning4j.optimize.api.TrainingListener;
import org.nd4j.linalg.activations.impl.ActivationIdentity;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.shade.jackson.annotation.JsonProperty;

import java.util.Collection;
import java.util.Map;

/**
 * CineLab's sequence embedding for DL4J networks: DL4J's {@code EmbeddingSequenceLayer} (input
 * [batch, length] or [batch, 1, length] of word indices, output [batch, nOut, length]; parameter
 * {@code W} [nIn, nOut] column-major, optional bias {@code b}; same initialisation), computed by
 * {@link SequenceEmbeddingLayer} without per-batch allocation: DL4J's copies the indices into a new
 * Java array and a new native array and looks the rows up twice per batch. Its output is time-major
 * in memory, the layout {@link FusedLstm} reads in place. Identity activation only.
 */
public class SequenceEmbedding extends FeedForwardLayer {
    @JsonProperty private int inputLength = 1;
    @JsonProperty private boolean hasBias;
    @JsonProperty private boolean inferInputLength = true;
    @JsonProperty private RNNFormat outputFormat = RNNFormat.NCW;

    /** For JSON deserialisation. */
    public SequenceEmbedding() {}

    private SequenceEmbedding(Builder b) {
        super(b);
        this.inputLength = b.inputLength;
        this.hasBias = b.hasBias;
        this.inferInputLength = b.inferInputLength;
        this.outputFormat = b.outputFormat;
        initializeConstraints(b);
    }

    public int inputLength() { return inputLength; }

    public boolean hasBias() { return hasBias; }

    public boolean inferInputLength() { return inferInputLength; }

    public RNNFormat outputFormat() { return outputFormat; }

    @Override
    public org.deeplearning4j.nn.api.Layer instantiate(NeuralNetConfiguration conf, Collection<TrainingListener> listeners,
                                                         int layerIndex, INDArray layerParamsView, boolean initializeParams,
                                                         DataType networkDataType) {
        LayerValidation.assertNInNOutSet("SequenceEmbedding", getLayerName(), layerIndex, getNIn(), getNOut());
        if (!(getActivationFn() instanceof ActivationIdentity)) {
            throw new IllegalArgumentException("SequenceEmbedding (layer " + layerIndex + "): activation must be identity, got "
                    + getActivationFn() + "; use DL4J's EmbeddingSequenceLayer for others");
        }
        if (getIDropout() != null) {
            throw new IllegalArgumentException("SequenceEmbedding (layer " + layerIndex + "): dropout is not supported (nor by DL4J's embedding layers)");
        }
        if (networkDataType != DataType.FLOAT) {
            throw new IllegalArgumentException("SequenceEmbedding (layer " + layerIndex + ") computes in FLOAT; the network's data type is "
                    + networkDataType + "; use DL4J's EmbeddingSequenceLayer for other types");
        }
        SequenceEmbeddingLayer layer = new SequenceEmbeddingLayer(conf, networkDataType);
        layer.setListeners(listeners);
        layer.setIndex(layerIndex);
        layer.setParamsViewArray(layerParamsView);
        Map<String, INDArray> table = initializer().init(conf, layerParamsView, initializeParams);
        layer.setParamTable(table);
        layer.setConf(conf);
        return layer;
    }

    @Override
    public ParamInitializer initializer() {
        return SequenceEmbeddingParams.INSTANCE;
    }

    @Override
    public InputType getOutputType(int layerIndex, InputType inputType) {
        if (inputType == null || (inputType.getType() != InputType.Type.FF && inputType.getType() != InputType.Type.RNN)) {
            throw new IllegalStateException("SequenceEmbedding (layer " + layerIndex + "): expected feed-forward or recurrent input, got " + inputType);
        }
        return InputType.recurrent(nOut, inputLength, outputFormat);
    }

    @Override
    public void setNIn(InputType inputType, boolean override) {
        if (inputType.getType() == InputType.Type.RNN) {
            if (nIn <= 0 || override) nIn = ((InputType.InputTypeRecurrent) inputType).getSize();
        } else {
            super.setNIn(inputType, override);
        }
    }

    @Override
    public InputPreProcessor getPreProcessorForInputType(InputType inputType) {
        return inputType != null && inputType.getType() == InputType.Type.RNN ? null : super.getPreProcessorForInputType(inputType);
    }

    @Override
    public LayerMemoryReport getMemoryReport(InputType inputType) {
        InputType out = getOutputType(-1, inputType);
        long params = initializer().numParams(this);
        return new LayerMemoryReport.Builder(layerName, SequenceEmbedding.class, inputType, out)
                .standardMemory(params, getIUpdater().stateSize(params))
                .workingMemory(0, 0, 0, out.arrayElementsPerExample())
                .cacheMemory(MemoryReport.CACHE_MODE_ALL_ZEROS, MemoryReport.CACHE_MODE_ALL_ZEROS)
                .build();
    }

    /** DL4J's EmbeddingSequenceLayer builder options; identity activation by default. */
    public static class Builder extends FeedForwardLayer.Builder<Builder> {
        private int inputLength = 1;
        private boolean hasBias;
        private boolean inferInputLength = true;
        private RNNFormat outputFormat = RNNFormat.NCW;

        public Builder() {
            this.activationFn = new ActivationIdentity();
        }

        public Builder inputLength(int length) {
            this.inputLength = length;
            return this;
        }

        public Builder hasBias(boolean bias) {
            this.hasBias = bias;
            return this;
        }

        public Builder inferInputLength(boolean infer) {
            this.inferInputLength = infer;
            return this;
        }

        public Builder outputDataFormat(RNNFormat format) {
            this.outputFormat = format;
            return this;
        }

        @Override
        @SuppressWarnings("unchecked")
        public SequenceEmbedding build() {
            return new SequenceEmbedding(this);
        }
    }
}
