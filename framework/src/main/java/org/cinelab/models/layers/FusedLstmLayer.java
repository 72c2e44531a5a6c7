package org.cinelab.models.layers;

import org.deeplearning4j.exception.DL4JInvalidInputException;
import org.deeplearning4j.nn.api.MaskState;
import org.deeplearning4j.nn.conf.NeuralNetConfiguration;
import org.deeplearning4j.nn.gradient.DefaultGradient;
import org.deeplearning4j.nn.gradient.Gradient;
import org.deeplearning4j.nn.layers.LayerHelper;
import org.deeplearning4j.nn.layers.recurrent.BaseRecurrentLayer;
import org.deeplearning4j.nn.layers.recurrent.LSTM;
import org.deeplearning4j.nn.workspace.ArrayType;
import org.deeplearning4j.nn.workspace.LayerWorkspaceMgr;
import org.nd4j.common.primitives.Pair;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.indexing.NDArrayIndex;

import java.util.Arrays;
import java.util.Map;

/**
 * The DL4J layer behind {@link FusedLstm}: DL4J plumbing (workspaces, dropout, masks, RNN state)
 * around {@link LstmKernel}. The training forward pass keeps its activations in the kernel's buffers
 * and the backward pass uses them (DL4J's LSTM recomputes the forward pass in backprop). Outputs and
 * input gradients are returned as views of time-major [steps, batch, width] arrays, which the next
 * CineLab layer reads without copying. Masks behave as in DL4J's LSTM: a mask set on the layer
 * (DL4J sets one inside {@code LastTimeStep}) zeroes h and c at masked steps; the gradient through
 * a masked step is exactly zero.
 */
final class FusedLstmLayer extends BaseRecurrentLayer<FusedLstm> {
    private static final String STATE_HIDDEN = LSTM.STATE_KEY_PREV_ACTIVATION;
    private static final String STATE_CELL = LSTM.STATE_KEY_PREV_MEMCELL;
    /** Inference processes at most this many gate values at once (sub-batches of examples), unless training needed more. */
    private static final long INFERENCE_GATE_FLOATS = 1L << 23;

    private LstmKernel kernel;
    /** The input whose training forward pass the kernel holds, or null. */
    private INDArray forwardInput;
    private long largestTrainingRows;

    FusedLstmLayer(NeuralNetConfiguration conf, DataType dataType) {
        super(conf, dataType);
    }

    private LstmKernel kernel() {
        if (kernel == null) kernel = LstmKernel.create((int) layerConf().getNIn(), (int) layerConf().getNOut());
        return kernel;
    }

    @Override
    public INDArray activate(boolean training, LayerWorkspaceMgr workspaceMgr) {
        return forward(training, null, null, null, workspaceMgr);
    }

    @Override
    public INDArray activate(INDArray input, boolean training, LayerWorkspaceMgr workspaceMgr) {
        setInput(input, workspaceMgr);
        return activate(training, workspaceMgr);
    }

    @Override
    public INDArray rnnTimeStep(INDArray input, LayerWorkspaceMgr workspaceMgr) {
        setInput(input, workspaceMgr);
        return forward(false, stateMap.get(STATE_HIDDEN), stateMap.get(STATE_CELL), stateMap, workspaceMgr);
    }

    @Override
    public INDArray rnnActivateUsingStoredState(INDArray input, boolean training, boolean storeLastForTBPTT, LayerWorkspaceMgr workspaceMgr) {
        setInput(input, workspaceMgr);
        return forward(training, tBpttStateMap.get(STATE_HIDDEN), tBpttStateMap.get(STATE_CELL), storeLastForTBPTT ? tBpttStateMap : null,
                workspaceMgr);
    }

    /** [batch, width, steps] (NCW) view of a layer input or output gradient; rank 2 is one step. */
    private INDArray sequence(INDArray a) {
        if (a.rank() == 2) return a.reshape(a.ordering(), a.size(0), a.size(1), 1);
        if (a.rank() != 3) {
            throw new DL4JInvalidInputException("FusedLstm " + layerId() + ": expected rank 3 input [batch, size, steps], got shape "
                    + Arrays.toString(a.shape()));
        }
        return permuteIfNWC(a);
    }

    private INDArray forward(boolean training, INDArray h0, INDArray c0, Map<String, INDArray> lastState, LayerWorkspaceMgr workspaceMgr) {
        assertInputSet(false);
        applyDropOutIfNecessary(training, workspaceMgr);
        INDArray x = sequence(input).castTo(DataType.FLOAT);
        LstmKernel k = kernel();
        int in = k.inputSize(), h = k.hidden();
        if (x.size(1) != in) {
            throw new DL4JInvalidInputException("FusedLstm " + layerId() + ": input has size " + x.size(1) + " (shape "
                    + Arrays.toString(input.shape()) + "), the layer's nIn is " + in);
        }
        int batch = (int) x.size(0), steps = (int) x.size(2);
        INDArray mask = maskArray == null ? null : maskArray.castTo(DataType.FLOAT);
        if (mask != null && (mask.rank() != 2 || mask.size(0) != batch || mask.size(1) != steps)) {
            throw new DL4JInvalidInputException("FusedLstm " + layerId() + ": mask shape " + Arrays.toString(mask.shape())
                    + " does not match [batch, steps] = [" + batch + ", " + steps + "]");
        }
        INDArray out = workspaceMgr.createUninitialized(ArrayType.ACTIVATIONS, DataType.FLOAT, new long[]{steps, batch, h}, 'c');
        long rows = (long) batch * steps;
        if (training) largestTrainingRows = Math.max(largestTrainingRows, rows);
        long rowLimit = Math.max(largestTrainingRows, INFERENCE_GATE_FLOATS / (4L * h));
        int chunk = training ? batch : (int) Math.max(1, Math.min(batch, rowLimit / Math.max(1, steps)));
        LstmKernel.Weights weights = weights(training, workspaceMgr);
        INDArray lastHidden = lastState == null ? null : Nd4j.createUninitializedDetached(DataType.FLOAT, batch, h);
        INDArray lastCell = lastState == null ? null : Nd4j.createUninitializedDetached(DataType.FLOAT, batch, h);
        for (int b0 = 0; b0 < batch; b0 += chunk) {
            int b1 = Math.min(batch, b0 + chunk), n = b1 - b0;
            k.prepare(n, steps, mask != null);
            long inputAddress;
            if (n == batch && NativeMemory.hasStrides(x, in, 1, (long) batch * in)) {
                inputAddress = NativeMemory.address(x);
            } else {
                TimeMajor.copy(n == batch ? x : x.get(NDArrayIndex.interval(b0, b1), NDArrayIndex.all(), NDArrayIndex.all()), k.inputRows());
                inputAddress = k.inputRowsAddress();
            }
            if (mask != null) TimeMajor.copyMask(n == batch ? mask : mask.get(NDArrayIndex.interval(b0, b1), NDArrayIndex.all()), k.maskRows());
            if (h0 != null) k.initialHidden().assign(h0.get(NDArrayIndex.interval(b0, b1), NDArrayIndex.all()));
            if (c0 != null) k.initialCell().assign(c0.get(NDArrayIndex.interval(b0, b1), NDArrayIndex.all()));
            k.forward(inputAddress, weights);
            long outAddress = NativeMemory.address(out);
            if (n == batch) {
                NativeMemory.copy(k.hiddenAddress(0), outAddress, rows * h);
            } else {
                for (int t = 0; t < steps; t++) {
                    NativeMemory.copy(k.hiddenAddress(t), outAddress + ((long) t * batch + b0) * h * Float.BYTES, (long) n * h);
                }
            }
            if (lastState != null) {
                NativeMemory.copy(k.hiddenAddress(steps - 1), NativeMemory.address(lastHidden) + (long) b0 * h * Float.BYTES, (long) n * h);
                NativeMemory.copy(k.cellAddress(steps - 1), NativeMemory.address(lastCell) + (long) b0 * h * Float.BYTES, (long) n * h);
            }
        }
        if (lastState != null) {
            lastState.put(STATE_HIDDEN, lastHidden);
            lastState.put(STATE_CELL, lastCell);
        }
        forwardInput = training && chunk == batch ? input : null;
        INDArray result = permuteIfNWC(out.permute(1, 2, 0));
        return input.rank() == 2 ? result.reshape(batch, h) : result;
    }

    /**
     * DL4J's input dropout, with the mask drawn over a column-major copy of the input: DL4J's LSTM
     * outputs column-major arrays, so a stack of these layers drops the same units as a stack of
     * DL4J's LSTMs with the same seed.
     */
    @Override
    protected void applyDropOutIfNecessary(boolean training, LayerWorkspaceMgr workspaceMgr) {
        if (!training || dropoutApplied || layerConf().getIDropout() == null) return;
        INDArray source = input.ordering() == 'f' && input.isView() == false ? input : workspaceMgr.dup(ArrayType.INPUT, input, 'f');
        INDArray result = workspaceMgr.createUninitialized(ArrayType.INPUT, input.dataType(), input.shape(), 'f');
        input = layerConf().getIDropout().applyDropout(source, result, getIterationCount(), getEpochCount(), workspaceMgr);
        dropoutApplied = true;
    }

    private LstmKernel.Weights weights(boolean training, LayerWorkspaceMgr workspaceMgr) {
        LstmKernel k = kernel();
        INDArray w = columnMajor(getParamWithNoise(FusedLstmParams.W, training, workspaceMgr), k.inputSize());
        INDArray rw = columnMajor(getParamWithNoise(FusedLstmParams.RW, training, workspaceMgr), k.hidden());
        INDArray b = getParamWithNoise(FusedLstmParams.B, training, workspaceMgr);
        if (b.elementWiseStride() != 1) b = b.dup('c');
        return new LstmKernel.Weights(NativeMemory.address(w), NativeMemory.address(rw), NativeMemory.address(b));
    }

    private static INDArray columnMajor(INDArray m, long rows) {
        return NativeMemory.hasStrides(m, 1, rows) ? m : m.dup('f');
    }

    @Override
    public Pair<Gradient, INDArray> backpropGradient(INDArray epsilon, LayerWorkspaceMgr workspaceMgr) {
        assertInputSet(true);
        if (forwardInput != input) forward(true, null, null, null, workspaceMgr);
        LstmKernel k = kernel();
        INDArray eps = sequence(epsilon).castTo(DataType.FLOAT);
        INDArray x = sequence(input);
        int batch = (int) x.size(0), steps = (int) x.size(2);
        if (eps.size(0) != batch || eps.size(1) != k.hidden() || eps.size(2) != steps) {
            throw new DL4JInvalidInputException("FusedLstm " + layerId() + ": output gradient shape " + Arrays.toString(epsilon.shape())
                    + " does not match the output [" + batch + ", " + k.hidden() + ", " + steps + "]");
        }
        TimeMajor.copy(eps, k.hiddenGradientRows());
        INDArray inputGradient = workspaceMgr.createUninitialized(ArrayType.ACTIVATION_GRAD, DataType.FLOAT,
                new long[]{steps, batch, k.inputSize()}, 'c');
        INDArray gw = gradientViews.get(FusedLstmParams.W), grw = gradientViews.get(FusedLstmParams.RW), gb = gradientViews.get(FusedLstmParams.B);
        if (!NativeMemory.hasStrides(gw, 1, k.inputSize()) || !NativeMemory.hasStrides(grw, 1, k.hidden()) || gb.elementWiseStride() != 1) {
            throw new IllegalStateException("FusedLstm " + layerId() + ": gradient views are not in DL4J's LSTM layout");
        }
        k.backward(weights(true, workspaceMgr), new LstmKernel.Weights(NativeMemory.address(gw), NativeMemory.address(grw),
                NativeMemory.address(gb)), NativeMemory.address(inputGradient));
        forwardInput = null;
        INDArray dx = permuteIfNWC(inputGradient.permute(1, 2, 0));
        if (input.rank() == 2) dx = dx.reshape(batch, k.inputSize());
        dx = backpropDropOutIfPresent(dx);
        Gradient gradient = new DefaultGradient();
        gradient.gradientForVariable().put(FusedLstmParams.W, gw);
        gradient.gradientForVariable().put(FusedLstmParams.RW, grw);
        gradient.gradientForVariable().put(FusedLstmParams.B, gb);
        weightNoiseParams.clear();
        return new Pair<>(gradient, dx);
    }

    @Override
    public Pair<Gradient, INDArray> tbpttBackpropGradient(INDArray epsilon, int tbpttBackLength, LayerWorkspaceMgr workspaceMgr) {
        throw new UnsupportedOperationException("FusedLstm " + layerId() + " does not support truncated BPTT; use DL4J's LSTM");
    }

    @Override
    public Gradient gradient() {
        throw new UnsupportedOperationException("FusedLstm " + layerId() + ": no layer-wise pretraining");
    }

    /** As DL4J's LSTM: the mask passes through unchanged and is not applied here (LastTimeStep sets it explicitly). */
    @Override
    public Pair<INDArray, MaskState> feedForwardMaskArray(INDArray maskArray, MaskState currentMaskState, int minibatchSize) {
        return new Pair<>(maskArray, MaskState.Passthrough);
    }

    @Override
    public Type type() { return Type.RECURRENT; }

    @Override
    public boolean isPretrainLayer() { return false; }

    @Override
    public LayerHelper getHelper() { return null; }

    @Override
    public void clear() {
        super.clear();
        forwardInput = null;
    }
}
