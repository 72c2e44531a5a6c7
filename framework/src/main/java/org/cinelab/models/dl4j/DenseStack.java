package org.cinelab.models.dl4j;

import org.bytedeco.javacpp.FloatPointer;
import org.cinelab.models.layers.DropoutMasks;
import org.cinelab.models.layers.ExpRows;
import org.cinelab.models.layers.InPlaceRows;
import org.cinelab.models.layers.NativeMemory;
import org.cinelab.models.layers.SplitLoop;

import java.nio.ByteBuffer;
import java.nio.FloatBuffer;
import java.util.Arrays;
import java.util.List;

import static org.cinelab.models.layers.SplitGemm.NO_TRANS;
import static org.cinelab.models.layers.SplitGemm.TRANS;
import static org.cinelab.models.layers.SplitGemm.gemm;

/**
 * Dense layers' forward pass, backprop and update on buffers allocated once: per layer one forward
 * and two backward {@code sgemm} calls (matrix-vector and outer products for one row), the
 * element-wise work in Java loops over heap chunks (the JIT vectorises them; loops over native
 * buffers run several times slower), and each layer's update ({@link DenseUpdater}) as soon as
 * backprop no longer needs its weights. The weights are DL4J's {@code [nIn, nOut]} column-major
 * views inside the network's flattened parameters, so a layer reads them as {@code W^T} row-major.
 *
 * <p>Dropout is DL4J's: the mask of a layer's input is drawn by the same ND4J operation on ND4J's
 * global generator, in the same layer order, so a seeded step drops what DL4J's would.
 *
 * <p>The first layer multiplies only the band of input columns that hold a non-zero in the batch:
 * padded word sequences (DEC's input: ~23 words at the end of 1,500 columns) leave most columns zero
 * in every row, and those columns add exact zeros to the products and give a zero weight gradient.
 * Dense inputs have no such band and take the full products.
 *
 * <p>With more than one thread the element-wise passes over a batch are split too ({@link SplitLoop}),
 * each lane on heap chunks of its own; a bias gradient is split by columns, so every sum is taken
 * in the same order and the bits are those of one thread.
 */
final class DenseStack extends InPlaceStage implements RatingHead {
    static final int CHUNK = 4096;

    private final List<DenseLayout.Layer> layers;
    /** act[0] is the input batch, act[l + 1] the output of layer l. */
    private final FloatPointer[] actPtr;
    private final FloatBuffer[] act;
    private final FloatPointer[] deltaPtr = new FloatPointer[2];
    private final FloatBuffer[] delta = new FloatBuffer[2];
    /** The same memory as bytes, for the passes that run in place ({@link InPlaceRows}). */
    private final ByteBuffer[] actBytes, deltaBytes = new ByteBuffer[2];
    /** Per layer with dropout: its dropped input (what the layer multiplies and its weight gradient reads), else null. */
    private final FloatPointer[] droppedPtr;
    private final FloatBuffer[] dropped;
    /** Per layer with dropout: the current step's mask, drawn again where backprop needs it (it is counter-based). */
    private final DropoutMasks.Draw[] draws;

    /** Heap chunks the element-wise loops run on, between bulk copies; lane 0's are {@code x} and {@code y}. */
    private final float[] x, y, dx, bias, zeros;
    private final float[][] laneX, laneY;
    /** The threads the split passes may use: the process's setting when the stack was built. */
    private final int threads;
    /** The split passes, kept so a step allocates nothing; their arguments are in the pass fields. */
    private final SplitLoop.Body activationPass = this::biasAndActivationRange, derivativePass = this::timesDerivativeRange,
            maskPass = this::timesMaskRange, dropPass = this::dropRange, biasGradientPass = this::biasGradientRange;
    private FloatBuffer passValues;
    private ByteBuffer passBytes, passOtherBytes;
    /** The layer whose dropout the current pass draws or applies. */
    private int dropLayer;
    private int passWidth, passBiasOffset, passBatch;
    private DenseLayout.Activation passActivation;

    /** The first layer's input columns with a non-zero in the current batch: {@code [bandFrom, bandTo)}. */
    private int bandFrom, bandTo;
    /** The columns of the first layer's weight gradient that may be non-zero: outside them it is 0. */
    private int gradientFrom, gradientTo;

    DenseStack(List<DenseLayout.Layer> layers, DenseUpdater updater, FloatPointer paramsPtr, FloatPointer gradsPtr, FloatBuffer state,
               int maxBatch) {
        super(updater, paramsPtr, gradsPtr, state);
        this.layers = List.copyOf(layers);
        int n = layers.size();
        actPtr = new FloatPointer[n + 1];
        act = new FloatBuffer[n + 1];
        actPtr[0] = Nd4jBuffers.allocate((long) maxBatch * layers.get(0).nIn());
        for (int l = 0; l < n; l++) actPtr[l + 1] = Nd4jBuffers.allocate((long) maxBatch * layers.get(l).nOut());
        actBytes = new ByteBuffer[n + 1];
        for (int l = 0; l <= n; l++) {
            act[l] = actPtr[l].asBuffer();
            actBytes[l] = bytes(act[l]);
        }
        droppedPtr = new FloatPointer[n];
        dropped = new FloatBuffer[n];
        draws = new DropoutMasks.Draw[n];
        for (int l = 0; l < n; l++) {
            if (layers.get(l).retain() >= 1) continue;
            droppedPtr[l] = Nd4jBuffers.allocate((long) maxBatch * layers.get(l).nIn());
            dropped[l] = droppedPtr[l].asBuffer();
            draws[l] = new DropoutMasks.Draw();
        }
        int widest = layers.get(0).nIn();
        for (DenseLayout.Layer l : layers) widest = Math.max(widest, l.nOut());
        for (int k = 0; k < 2; k++) {
            deltaPtr[k] = Nd4jBuffers.allocate((long) maxBatch * widest);
            delta[k] = deltaPtr[k].asBuffer();
            deltaBytes[k] = bytes(delta[k]);
        }
        int chunk = Math.max(CHUNK, widest);
        threads = Nd4jRuntime.threads();
        laneX = new float[SplitLoop.lanes(threads)][];
        laneY = new float[laneX.length][];
        for (int i = 0; i < laneX.length; i++) {
            laneX[i] = new float[chunk];
            laneY[i] = new float[chunk];
        }
        x = laneX[0];
        y = laneY[0];
        dx = new float[chunk];
        bias = new float[widest];
        zeros = new float[widest];
        gradientTo = layers.get(0).nIn(); // whatever the gradient array held before the first step
    }

    private static ByteBuffer bytes(FloatBuffer b) {
        ByteBuffer bytes = NativeMemory.bytes(b);
        if (bytes == null) throw new IllegalArgumentException("a batch of " + b.capacity() + " floats exceeds 2 GB: use smaller minibatches");
        return bytes;
    }

    int inputs() { return layers.get(0).nIn(); }

    int outputs() { return layers.get(layers.size() - 1).nOut(); }

    DenseLayout.Activation outputActivation() { return layers.get(layers.size() - 1).activation(); }

    /** The input batch, {@code [batch, inputs]} row-major: the caller fills it before {@link #forward}. */
    @Override
    public FloatBuffer input() { return act[0]; }

    @Override
    public FloatPointer inputPointer() { return actPtr[0]; }

    /** The last layer's activations after {@link #forward}. */
    @Override
    public FloatBuffer output() { return act[layers.size()]; }

    /** Where the caller puts dLoss/d(last layer's pre-activation) before {@link #backwardAndUpdate}. */
    @Override
    public FloatBuffer outputDelta() { return delta[0]; }

    /** {@code outputDelta ⊙= act'(output)}: from dLoss/d(last layer's activations) to its pre-activation's. */
    void outputDeltaThroughActivation(int batch) {
        timesDerivative(deltaBytes[0], actBytes[layers.size()], batch * outputs(), outputActivation());
    }

    @Override
    public void forward(int batch) {
        forward(batch, true);
    }

    /** {@link #forward} as DL4J's inference: no dropout, and no dropout mask drawn (training's masks stay the same). */
    void infer(int batch) {
        forward(batch, false);
    }

    private void forward(int batch, boolean training) {
        for (int l = 0; l < layers.size(); l++) {
            DenseLayout.Layer layer = layers.get(l);
            int nIn = layer.nIn(), nOut = layer.nOut();
            if (training && dropped[l] != null) drop(l, batch);
            int from = 0, k = nIn;
            if (l == 0 && batch > 1) { // one row goes through sgemv, whose time is reading W anyway
                findBand(batch, training && dropped[0] != null ? dropped[0] : act[0]);
                from = bandFrom;
                k = bandTo - bandFrom;
            }
            // out = in · W, W being [nIn, nOut] column-major, i.e. W^T row-major; the band's columns only
            if (k == 0) fill(act[1], batch * nOut, 0f);
            else gemm(NO_TRANS, TRANS, batch, nOut, k, training ? in(l) : actPtr[l], from, nIn, paramsPtr, layer.weightOffset() + from, nIn,
                    actPtr[l + 1], 0, nOut);
            biasAndActivation(l + 1, batch, nOut, (int) layer.biasOffset(), layer.activation());
        }
    }

    /**
     * Backprop from {@link #outputDelta()} down, each layer's parameters updated as soon as the
     * layer below no longer needs them, while their gradient is still in cache (every gradient is
     * still that of the parameters before the step, as in DL4J).
     *
     * @param inputDelta null, or a {@code [batch, inputs]} buffer for dLoss/d(input), e.g. for embeddings below
     *                   ({@code inputDeltaValues} the same memory)
     */
    @Override
    public void backwardAndUpdate(int batch, int iteration, int epoch, FloatPointer inputDelta, FloatBuffer inputDeltaValues) {
        backwardAndUpdate(batch, iteration, epoch, null, inputDelta, inputDeltaValues);
    }

    void backwardAndUpdate(int batch, int iteration, int epoch, FloatBuffer accumulator, FloatPointer inputDelta,
                           FloatBuffer inputDeltaValues) {
        int current = 0;
        for (int l = layers.size() - 1; l >= 0; l--) {
            DenseLayout.Layer layer = layers.get(l);
            int nIn = layer.nIn(), nOut = layer.nOut();
            FloatPointer d = deltaPtr[current];
            // dW (column-major [nIn, nOut]) = in^T · delta, i.e. dW^T = delta^T · in row-major
            if (batch == 1) {
                outer(delta[current], dropped[l] != null ? dropped[l] : act[l], nOut, nIn, (int) layer.weightOffset());
                if (l == 0) {
                    gradientFrom = 0;
                    gradientTo = nIn;
                }
            } else if (l > 0) gemm(TRANS, NO_TRANS, nOut, nIn, batch, d, 0, nOut, in(l), 0, nIn, gradsPtr, layer.weightOffset(), nIn);
            else firstWeightGradient(layer, batch, d);
            biasGradient(deltaBytes[current], batch, nOut, (int) layer.biasOffset());
            FloatPointer below = l > 0 ? deltaPtr[1 - current] : inputDelta;
            if (below != null) {
                // delta of the layer below = (delta · W^T) ⊙ mask ⊙ act'(its output)
                gemm(NO_TRANS, NO_TRANS, batch, nIn, nOut, d, 0, nOut, paramsPtr, layer.weightOffset(), nIn, below, 0, nIn);
                if (dropped[l] != null) timesMask(l > 0 ? delta[1 - current] : inputDeltaValues, l, batch * nIn);
            }
            updater.apply(layer.weightOffset(), layer.biasOffset() + nOut, params, grads, state, accumulator, batch, iteration, epoch);
            if (l == 0) break;
            current = 1 - current;
            timesDerivative(deltaBytes[current], actBytes[l], batch * nIn, layers.get(l - 1).activation());
        }
    }

    /**
     * {@code [bandFrom, bandTo)}: the columns of the first layer's input where some row of the batch is
     * non-zero (empty for an all-zero batch). Scanning stops at each row's first non-zero from either
     * end, so a dense batch costs a few reads per row.
     */
    private void findBand(int batch, FloatBuffer in) {
        int width = layers.get(0).nIn();
        int lo = width, hi = 0;
        for (int r = 0; r < batch; r++) {
            int at = r * width;
            for (int from = 0; from < lo; from += CHUNK) {
                int len = Math.min(CHUNK, lo - from);
                in.get(at + from, x, 0, len);
                int i = 0;
                while (i < len && x[i] == 0) i++;
                if (i < len) {
                    lo = from + i;
                    break;
                }
            }
            for (int to = width; to > Math.max(hi, lo); to -= CHUNK) {
                int start = Math.max(Math.max(hi, lo), to - CHUNK), len = to - start;
                in.get(at + start, x, 0, len);
                int i = len - 1;
                while (i >= 0 && x[i] == 0) i--;
                if (i >= 0) {
                    hi = start + i + 1;
                    break;
                }
            }
        }
        bandFrom = lo < hi ? lo : 0;
        bandTo = lo < hi ? hi : 0;
    }

    /**
     * The first layer's weight gradient over the band's columns, and 0 in the columns the last step
     * wrote outside it (the rest are 0 already).
     */
    private void firstWeightGradient(DenseLayout.Layer layer, int batch, FloatPointer d) {
        int nIn = layer.nIn(), nOut = layer.nOut(), k = bandTo - bandFrom;
        long w = layer.weightOffset();
        if (k > 0) gemm(TRANS, NO_TRANS, nOut, k, batch, d, 0, nOut, in(0), bandFrom, nIn, gradsPtr, w + bandFrom, nIn);
        int leftTo = Math.min(gradientTo, k > 0 ? bandFrom : gradientTo), rightFrom = Math.max(gradientFrom, k > 0 ? bandTo : gradientTo);
        for (int j = 0; j < nOut; j++) {
            int row = (int) w + j * nIn;
            if (gradientFrom < leftTo) grads.put(row + gradientFrom, zeros, 0, leftTo - gradientFrom);
            if (rightFrom < gradientTo) grads.put(row + rightFrom, zeros, 0, gradientTo - rightFrom);
        }
        gradientFrom = bandFrom;
        gradientTo = bandTo;
    }

    private void fill(FloatBuffer b, int n, float value) {
        Arrays.fill(x, value);
        for (int from = 0; from < n; from += CHUNK) b.put(from, x, 0, Math.min(CHUNK, n - from));
    }

    /** What layer l multiplies: its input, or the input after dropout. */
    private FloatPointer in(int l) { return droppedPtr[l] != null ? droppedPtr[l] : actPtr[l]; }

    /**
     * DL4J's {@code Dropout.applyDropout}: ND4J's inverted-dropout mask (drawn in Java, the same
     * values from the same generator), then input ⊙ mask, split over the threads.
     */
    private void drop(int l, int batch) {
        dropLayer = l;
        draws[l].next(batch * layers.get(l).nIn(), layers.get(l).retain());
        SplitLoop.run(threads, batch * layers.get(l).nIn(), CHUNK, dropPass);
    }

    private void dropRange(int lane, int from, int to) {
        float[] x = laneX[lane], mask = laneY[lane];
        for (int at = from; at < to; at += CHUNK) {
            int len = Math.min(CHUNK, to - at);
            draws[dropLayer].fill(mask, 0, at, len);
            act[dropLayer].get(at, x, 0, len);
            for (int i = 0; i < len; i++) x[i] *= mask[i];
            dropped[dropLayer].put(at, x, 0, len);
        }
    }

    /** {@code d ⊙= mask} of layer l's input, as DL4J's dropout backprop. */
    private void timesMask(FloatBuffer d, int l, int n) {
        passValues = d;
        dropLayer = l;
        SplitLoop.run(threads, n, CHUNK, maskPass);
    }

    private void timesMaskRange(int lane, int from, int to) {
        float[] x = laneX[lane], mask = laneY[lane];
        for (int at = from; at < to; at += CHUNK) {
            int len = Math.min(CHUNK, to - at);
            draws[dropLayer].fill(mask, 0, at, len);
            passValues.get(at, x, 0, len);
            for (int i = 0; i < len; i++) x[i] *= mask[i];
            passValues.put(at, x, 0, len);
        }
    }

    /** {@code act[a] = act(act[a] + b)} row by row: bias and ReLU in place, a sigmoid or tanh through heap chunks. */
    private void biasAndActivation(int a, int batch, int width, int biasOffset, DenseLayout.Activation activation) {
        params.get(biasOffset, bias, 0, width);
        passValues = act[a];
        passBytes = actBytes[a];
        passWidth = width;
        passActivation = activation;
        SplitLoop.run(threads, batch * width, width, activationPass);
    }

    private void biasAndActivationRange(int lane, int from, int to) {
        int width = passWidth;
        if (passActivation == DenseLayout.Activation.IDENTITY || passActivation == DenseLayout.Activation.RELU) {
            InPlaceRows.addBias(passBytes, bias, width, from, to, passActivation == DenseLayout.Activation.RELU);
            return;
        }
        float[] x = laneX[lane];
        int rowsPerChunk = Math.max(1, CHUNK / width);
        for (int at = from; at < to; at += rowsPerChunk * width) {
            int n = Math.min(rowsPerChunk * width, to - at);
            passValues.get(at, x, 0, n);
            for (int r = 0; r < n; r += width) addBias(x, r, width);
            activate(x, n, passActivation);
            passValues.put(at, x, 0, n);
        }
    }

    private void addBias(float[] v, int at, int width) {
        for (int j = 0; j < width; j++) v[at + j] += bias[j];
    }

    /** A sigmoid's or a tanh's values of {@code v[0..n)} (bias and ReLU run in place). */
    private static void activate(float[] v, int n, DenseLayout.Activation activation) {
        if (activation == DenseLayout.Activation.SIGMOID) ExpRows.sigmoid(v, n);
        else for (int i = 0; i < n; i++) v[i] = (float) Math.tanh(v[i]);
    }

    /** {@code d *= act'(a)} for {@code a} the activation's outputs. */
    static void timesDerivative(float[] d, float[] a, int n, DenseLayout.Activation activation) {
        switch (activation) {
            case IDENTITY -> { }
            case RELU -> {
                // d where a > 0, else +0: a ≥ 0 is a ReLU output, so -bits(a) >> 31 is all ones exactly when a > 0.
                // Branch-free, the loop vectorises; a branch on the sign mispredicts on every other element.
                for (int i = 0; i < n; i++) {
                    d[i] = Float.intBitsToFloat(Float.floatToRawIntBits(d[i]) & (-Float.floatToRawIntBits(a[i]) >> 31));
                }
            }
            case SIGMOID -> {
                for (int i = 0; i < n; i++) d[i] *= a[i] * (1 - a[i]);
            }
            case TANH -> {
                for (int i = 0; i < n; i++) d[i] *= 1 - a[i] * a[i];
            }
        }
    }

    /** {@link #timesDerivative(float[], float[], int, DenseLayout.Activation)} in place, split over the threads. */
    private void timesDerivative(ByteBuffer d, ByteBuffer out, int n, DenseLayout.Activation activation) {
        if (activation == DenseLayout.Activation.IDENTITY) return;
        passBytes = d;
        passOtherBytes = out;
        passActivation = activation;
        SplitLoop.run(threads, n, CHUNK, derivativePass);
    }

    private void timesDerivativeRange(int lane, int from, int to) {
        switch (passActivation) {
            case IDENTITY -> { }
            case RELU -> InPlaceRows.timesReluDerivative(passBytes, passOtherBytes, from, to);
            case SIGMOID -> InPlaceRows.timesSigmoidDerivative(passBytes, passOtherBytes, from, to);
            case TANH -> InPlaceRows.timesTanhDerivative(passBytes, passOtherBytes, from, to);
        }
    }

    /** One example's weight gradient, row {@code j} of dW^T being {@code d[j] · in}: what sgemm does slowest. */
    private void outer(FloatBuffer d, FloatBuffer in, int nOut, int nIn, int weightOffset) {
        d.get(0, bias, 0, nOut);
        in.get(0, y, 0, nIn);
        for (int j = 0; j < nOut; j++) {
            float dj = bias[j];
            for (int i = 0; i < nIn; i++) dx[i] = dj * y[i];
            grads.put(weightOffset + j * nIn, dx, 0, nIn);
        }
    }

    /** The bias gradient, column sums of {@code d}: split by columns, each summed over the rows in order. */
    private void biasGradient(ByteBuffer d, int batch, int width, int biasOffset) {
        passBytes = d;
        passWidth = width;
        passBiasOffset = biasOffset;
        passBatch = batch;
        SplitLoop.run(threads, width, 16, (long) batch * width, biasGradientPass);
    }

    private void biasGradientRange(int lane, int from, int to) {
        InPlaceRows.columnSums(passBytes, passBatch, passWidth, from, to, bias);
        grads.put(passBiasOffset + from, bias, from, to - from);
    }
}
