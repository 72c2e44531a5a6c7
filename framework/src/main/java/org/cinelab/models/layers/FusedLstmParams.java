package org.cinelab.models.layers;

import org.deeplearning4j.nn.api.ParamInitializer;
import org.deeplearning4j.nn.conf.NeuralNetConfiguration;
import org.deeplearning4j.nn.conf.layers.AbstractLSTM;
import org.deeplearning4j.nn.conf.layers.Layer;
import org.deeplearning4j.nn.params.LSTMParamInitializer;
import org.deeplearning4j.nn.weights.IWeightInit;
import org.deeplearning4j.nn.weights.WeightInitUtil;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.indexing.INDArrayIndex;
import org.nd4j.linalg.indexing.NDArrayIndex;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * DL4J's LSTM parameter layout and initialisation for {@link FusedLstm}: {@code W} [nIn, 4H] and
 * {@code RW} [H, 4H] column-major, {@code b} [1, 4H], gate blocks in DL4J's order (block input,
 * forget, output, input gate), forget-gate biases at {@code forgetGateBiasInit}. Written out because
 * DL4J's {@link LSTMParamInitializer} accepts only its own LSTM class; it draws the same random numbers
 * in the same order, so a network with this layer starts from the weights DL4J's LSTM would.
 */
final class FusedLstmParams implements ParamInitializer {
    static final FusedLstmParams INSTANCE = new FusedLstmParams();
    static final String W = LSTMParamInitializer.INPUT_WEIGHT_KEY;
    static final String RW = LSTMParamInitializer.RECURRENT_WEIGHT_KEY;
    static final String B = LSTMParamInitializer.BIAS_KEY;
    private static final List<String> KEYS = List.of(W, RW, B);

    private FusedLstmParams() {}

    @Override
    public long numParams(NeuralNetConfiguration conf) { return numParams(conf.getLayer()); }

    @Override
    public long numParams(Layer layer) {
        AbstractLSTM l = (AbstractLSTM) layer;
        long h = l.getNOut(), in = l.getNIn();
        return in * 4 * h + h * 4 * h + 4 * h;
    }

    @Override
    public List<String> paramKeys(Layer layer) { return KEYS; }

    @Override
    public List<String> weightKeys(Layer layer) { return List.of(W, RW); }

    @Override
    public List<String> biasKeys(Layer layer) { return Collections.singletonList(B); }

    @Override
    public boolean isWeightParam(Layer layer, String key) { return W.equals(key) || RW.equals(key); }

    @Override
    public boolean isBiasParam(Layer layer, String key) { return B.equals(key); }

    @Override
    public Map<String, INDArray> init(NeuralNetConfiguration conf, INDArray paramsView, boolean initializeParams) {
        AbstractLSTM l = (AbstractLSTM) conf.getLayer();
        long h = l.getNOut(), in = l.getNIn();
        conf.addVariable(W);
        conf.addVariable(RW);
        conf.addVariable(B);
        if (paramsView.length() != numParams(l)) {
            throw new IllegalStateException("expected a parameter view of length " + numParams(l) + ", got " + paramsView.length());
        }
        INDArray flat = paramsView.reshape(paramsView.length());
        INDArray w = flat.get(NDArrayIndex.interval(0, in * 4 * h));
        INDArray rw = flat.get(NDArrayIndex.interval(in * 4 * h, in * 4 * h + h * 4 * h));
        INDArray b = flat.get(NDArrayIndex.interval(in * 4 * h + h * 4 * h, in * 4 * h + h * 4 * h + 4 * h));
        Map<String, INDArray> params = Collections.synchronizedMap(new LinkedHashMap<>());
        long[] wShape = {in, 4 * h}, rwShape = {h, 4 * h};
        if (initializeParams) {
            // DL4J's LSTMParamInitializer: fan-in = H, fan-out = nIn + H for both matrices, then the forget-gate biases.
            IWeightInit rwInit = l.getWeightInitFnRecurrent() != null ? l.getWeightInitFnRecurrent() : l.getWeightInitFn();
            params.put(W, l.getWeightInitFn().init(h, in + h, wShape, IWeightInit.DEFAULT_WEIGHT_INIT_ORDER, w));
            params.put(RW, rwInit.init(h, in + h, rwShape, IWeightInit.DEFAULT_WEIGHT_INIT_ORDER, rw));
            b.put(new INDArrayIndex[]{NDArrayIndex.interval(h, 2 * h)}, Nd4j.valueArrayOf(new long[]{1, h}, l.getForgetGateBiasInit()));
        } else {
            params.put(W, WeightInitUtil.reshapeWeights(wShape, w));
            params.put(RW, WeightInitUtil.reshapeWeights(rwShape, rw));
        }
        params.put(B, b);
        return params;
    }

    @Override
    public Map<String, INDArray> getGradientsFromFlattened(NeuralNetConfiguration conf, INDArray gradientView) {
        AbstractLSTM l = (AbstractLSTM) conf.getLayer();
        long h = l.getNOut(), in = l.getNIn();
        INDArray flat = gradientView.reshape(gradientView.length());
        Map<String, INDArray> out = new LinkedHashMap<>();
        out.put(W, flat.get(NDArrayIndex.interval(0, in * 4 * h)).reshape('f', in, 4 * h));
        out.put(RW, flat.get(NDArrayIndex.interval(in * 4 * h, in * 4 * h + h * 4 * h)).reshape('f', h, 4 * h));
        out.put(B, flat.get(NDArrayIndex.interval(in * 4 * h + h * 4 * h, in * 4 * h + h * 4 * h + 4 * h)));
        return out;
    }
}
