package org.cinelab.models.recsys;

import org.cinelab.models.dl4j.CrossLayers;
import org.deeplearning4j.nn.conf.NeuralNetConfiguration;
import org.deeplearning4j.nn.gradient.DefaultGradient;
import org.deeplearning4j.nn.gradient.Gradient;
import org.deeplearning4j.nn.layers.AbstractLayer;
import org.deeplearning4j.nn.workspace.ArrayType;
import org.deeplearning4j.nn.workspace.LayerWorkspaceMgr;
import org.nd4j.common.primitives.Pair;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

import java.util.Arrays;
import java.util.Map;

/**
 * The running cross network of a {@link CrossNetworkLayer}. The backward pass is written out:
 * with {@code p_l = x_l W_l + b_l} and upstream gradient {@code g = dL/dx_{l+1}},
 * {@code dL/dp_l = g * x0}, {@code dL/dW_l = x_l^T dL/dp_l}, {@code dL/db_l = sum_rows dL/dp_l},
 * {@code dL/dx_l = g + dL/dp_l W_l^T}, and {@code x0} collects {@code g * p_l} from every layer
 * plus the gradient reaching {@code x_0} itself. The low-rank form goes through {@code h = x_l V}.
 */
final class CrossNetwork extends AbstractLayer<CrossNetworkLayer> {
    private INDArray paramsFlat;
    private INDArray gradientsFlat;
    private Map<String, INDArray> params;
    private Map<String, INDArray> gradients;
    /**
     * x0 as the last training forward pass saw it, for backprop. Not {@code input} itself: DL4J lets
     * the last consumer of a shared activation in topological order apply its dropout in place, and in
     * DCN's parallel structure that is the deep part, which runs after this layer on the same x0.
     * Detached from workspaces and reused while the batch shape holds.
     */
    private INDArray trainingInput;
    private boolean trainingInputCurrent;

    CrossNetwork(NeuralNetConfiguration conf, DataType dataType) {
        super(conf, dataType);
    }

    private CrossNetworkLayer cross() { return (CrossNetworkLayer) conf.getLayer(); }

    /** Forward intermediates: x_0..x_L, p_0..p_{L-1} and (low rank) h_0..h_{L-1}. */
    private record Trace(INDArray[] x, INDArray[] p, INDArray[] h) {}

    private Trace forward(INDArray x0) {
        int layers = cross().layers();
        boolean lowRank = cross().rank() > 0;
        INDArray[] x = new INDArray[layers + 1], p = new INDArray[layers], h = new INDArray[layers];
        x[0] = x0;
        for (int l = 0; l < layers; l++) {
            if (lowRank) {
                h[l] = x[l].mmul(params.get(CrossLayers.DOWN + l));
                p[l] = h[l].mmul(params.get(CrossLayers.UP + l));
            } else {
                p[l] = x[l].mmul(params.get(CrossLayers.WEIGHT + l));
            }
            p[l].addiRowVector(params.get(CrossLayers.BIAS + l));
            x[l + 1] = x0.mul(p[l]).addi(x[l]);
        }
        return new Trace(x, p, h);
    }

    @Override
    public INDArray activate(boolean training, LayerWorkspaceMgr workspaceMgr) {
        assertInputSet(false);
        INDArray x0 = input.castTo(dataType);
        trainingInputCurrent = training;
        if (training) {
            if (trainingInput == null || !Arrays.equals(trainingInput.shape(), x0.shape())) {
                trainingInput = Nd4j.createUninitializedDetached(dataType, x0.shape());
            }
            trainingInput.assign(x0);
        }
        INDArray last = forward(x0).x()[cross().layers()];
        INDArray out = workspaceMgr.createUninitialized(ArrayType.ACTIVATIONS, dataType, last.shape(), 'c');
        return out.assign(last);
    }

    @Override
    public Pair<Gradient, INDArray> backpropGradient(INDArray epsilon, LayerWorkspaceMgr workspaceMgr) {
        assertInputSet(true);
        INDArray x0 = trainingInputCurrent ? trainingInput : input.castTo(dataType);
        Trace t = forward(x0);
        boolean lowRank = cross().rank() > 0;
        INDArray g = epsilon.castTo(dataType);
        INDArray dx0 = x0.ulike().assign(0);
        for (int l = cross().layers() - 1; l >= 0; l--) {
            INDArray dp = g.mul(x0);
            dx0.addi(g.mul(t.p()[l]));
            gradients.get(CrossLayers.BIAS + l).assign(dp.sum(true, 0));
            INDArray back;
            if (lowRank) {
                INDArray v = params.get(CrossLayers.DOWN + l), u = params.get(CrossLayers.UP + l);
                gradients.get(CrossLayers.UP + l).assign(t.h()[l].transpose().mmul(dp));
                INDArray dh = dp.mmul(u.transpose());
                gradients.get(CrossLayers.DOWN + l).assign(t.x()[l].transpose().mmul(dh));
                back = dh.mmul(v.transpose());
            } else {
                INDArray w = params.get(CrossLayers.WEIGHT + l);
                gradients.get(CrossLayers.WEIGHT + l).assign(t.x()[l].transpose().mmul(dp));
                back = dp.mmul(w.transpose());
            }
            g = back.addi(g);
        }
        dx0.addi(g);
        Gradient gradient = new DefaultGradient(gradientsFlat);
        for (String key : gradients.keySet()) gradient.setGradientFor(key, gradients.get(key));
        INDArray eps = workspaceMgr.createUninitialized(ArrayType.ACTIVATION_GRAD, dataType, dx0.shape(), 'c');
        return new Pair<>(gradient, eps.assign(dx0));
    }

    @Override
    public boolean isPretrainLayer() { return false; }

    @Override
    public void clearNoiseWeightParams() {}

    @Override
    public Type type() { return Type.FEED_FORWARD; }

    @Override
    public INDArray params() { return paramsFlat; }

    @Override
    public long numParams() { return paramsFlat == null ? 0 : paramsFlat.length(); }

    @Override
    public void setParams(INDArray p) { paramsFlat.assign(p.reshape(paramsFlat.shape())); }

    @Override
    public void setParamsViewArray(INDArray view) { paramsFlat = view; }

    @Override
    public INDArray getGradientsViewArray() { return gradientsFlat; }

    @Override
    public void setBackpropGradientsViewArray(INDArray view) {
        gradientsFlat = view;
        gradients = CrossNetworkParams.INSTANCE.getGradientsFromFlattened(conf, view);
    }

    @Override
    public void setParamTable(Map<String, INDArray> table) { params = table; }

    @Override
    public Map<String, INDArray> paramTable() { return params; }

    @Override
    public Map<String, INDArray> paramTable(boolean backpropParamsOnly) { return params; }

    @Override
    public INDArray getParam(String key) { return params.get(key); }

    @Override
    public void setParam(String key, INDArray value) { params.get(key).assign(value); }
}
