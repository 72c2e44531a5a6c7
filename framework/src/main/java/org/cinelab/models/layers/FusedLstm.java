package org.cinelab.models.layers;

import org.deeplearning4j.nn.api.ParamInitializer;
import org.deeplearning4j.nn.api.layers.LayerConstraint;
import org.deeplearning4j.nn.conf.NeuralNetConfiguration;
import org.deeplearning4j.nn.conf.inputs.InputType;
import org.deeplearning4j.nn.conf.layers.AbstractLSTM;
import org.deeplearning4j.nn.conf.layers.LayerValidation;
import org.deeplearning4j.nn.conf.memory.LayerMemoryReport;
import org.deeplearning4j.nn.layers.recurrent.LSTMHelpers;
import org.deeplearning4j.optimize.api.TrainingListener;
import org.nd4j.linalg.activations.impl.ActivationSigmoid;
import org.nd4j.linalg.activations.impl.ActivationTanH;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;

import java.util.ArrayList;
import java.util.Collection;
import java.util.Collections;
import java.util.List;
import java.util.Map;

/**
 * CineLab's LSTM layer for DL4J networks: the same layer as DL4J's {@code LSTM} (no peepholes; tanh
 * block input and cell activation, sigmoid gates; the same parameters {@code W}, {@code RW},
 * {@code b}, shapes, gate order and initialisation, so DL4J LSTM parameters and checkpoints load into
 * it and the other way round), computed by {@link FusedLstmLayer}: one GEMM for the input projection
 * of all steps, one small GEMM and one fused, vectorised gate pass per step. Built like DL4J's:
 * {@code new FusedLstm.Builder().nIn(64).nOut(64).activation(Activation.TANH).build()}; works in
 * {@code MultiLayerNetwork}, {@code ComputationGraph} and inside {@code LastTimeStep}. FLOAT networks
 * only; truncated BPTT is not supported.
 */
public class FusedLstm extends AbstractLSTM {

    /** For JSON deserialisation. */
    public FusedLstm() {}

    private FusedLstm(Builder builder) {
        super(builder);
        initializeConstraints(builder);
    }

    /** As DL4J's LSTM: recurrent-weight constraints apply to {@code RW}. */
    @Override
    protected void initializeConstraints(org.deeplearning4j.nn.conf.layers.Layer.Builder<?> builder) {
        super.initializeConstraints(builder);
        List<LayerConstraint> recurrent = ((Builder) builder).getRecurrentConstraints();
        if (recurrent != null) {
            if (constraints == null) constraints = new ArrayList<>();
            for (LayerConstraint c : recurrent) {
                LayerConstraint copy = c.clone();
                copy.setParams(Collections.singleton(FusedLstmParams.RW));
                constraints.add(copy);
            }
        }
    }

    @Override
    public org.deeplearning4j.nn.api.Layer instantiate(NeuralNetConfiguration conf, Collection<TrainingListener> listeners,
                                                         int layerIndex, INDArray layerParamsView, boolean initializeParams,
                                                         DataType networkDataType) {
        LayerValidation.assertNInNOutSet("FusedLstm", getLayerName(), layerIndex, getNIn(), getNOut());
        if (!(getActivationFn() instanceof ActivationTanH)) {
            throw new IllegalArgumentException("FusedLstm (layer " + layerIndex + "): activation must be tanh, got " + getActivationFn()
                    + "; use DL4J's LSTM for other activations");
        }
        if (!(getGateActivationFn() instanceof ActivationSigmoid)) {
            throw new IllegalArgumentException("FusedLstm (layer " + layerIndex + "): gate activation must be sigmoid, got "
                    + getGateActivationFn() + "; use DL4J's LSTM for other gate activations");
        }
        if (networkDataType != DataType.FLOAT) {
            throw new IllegalArgumentException("FusedLstm (layer " + layerIndex + ") computes in FLOAT; the network's data type is "
                    + networkDataType + "; use DL4J's LSTM for other types");
        }
        if (getWeightNoise() != null) {
            throw new IllegalArgumentException("FusedLstm (layer " + layerIndex + "): weight noise is not supported; use DL4J's LSTM");
        }
        FusedLstmLayer layer = new FusedLstmLayer(conf, networkDataType);
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
        return FusedLstmParams.INSTANCE;
    }

    @Override
    public LayerMemoryReport getMemoryReport(InputType inputType) {
        return LSTMHelpers.getMemoryReport(this, inputType);
    }

    /** DL4J's LSTM builder options (nIn, nOut, activation, dropOut, weightInit, forgetGateBiasInit, ...). */
    public static class Builder extends AbstractLSTM.Builder<Builder> {
        @Override
        @SuppressWarnings("unchecked")
        public FusedLstm build() {
            return new FusedLstm(this);
        }
    }
}
