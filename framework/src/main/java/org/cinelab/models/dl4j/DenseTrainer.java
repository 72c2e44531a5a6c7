package org.cinelab.models.dl4j;

import org.bytedeco.javacpp.FloatPointer;
import org.bytedeco.openblas.global.openblas_nolapack;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.nd4j.linalg.api.ndarray.INDArray;

import java.nio.FloatBuffer;
import java.util.Optional;
import java.util.function.Consumer;

/**
 * Trains a DL4J network of dense layers ({@link DenseLayout}) in place, one minibatch per call,
 * computing exactly what DL4J's {@code fit} computes (same loss, gradients and update, up to float
 * rounding) but without its per-step machinery: DL4J recomputes each layer's forward GEMM during
 * backprop, copies every GEMM result, opens workspaces and creates arrays and shape descriptors for
 * every operation. Here each layer costs one forward and two backward {@code sgemm} calls into
 * buffers allocated once, the element-wise work is Java loops, and the update is one pass
 * ({@link DenseUpdater}): a step allocates nothing, on or off the heap.
 *
 * <p>The parameters, gradients and optimiser state stay in the network's own arrays, so the
 * network's {@code output}, checkpoints ({@link NetworkCheckpoint}) and export see every step. The
 * minibatch is gathered from fixed {@code [n, width]} matrices by row index.
 */
public final class DenseTrainer {
    private static final int ROW_MAJOR = 101, NO_TRANS = 111, TRANS = 112;
    private static final int CHUNK = 4096;

    private final MultiLayerNetwork net;
    private final DenseLayout layout;
    private final DenseUpdater updater;
    private final int maxBatch;
    private final FloatBuffer features, labels;
    private final boolean labelsAreFeatures;
    private final FloatBuffer params, grads, state, accumulator;
    private final FloatPointer paramsPtr, gradsPtr;
    /** acts[0] is the input batch, acts[l + 1] the output of layer l. */
    private final FloatPointer[] actPtr;
    private final FloatBuffer[] act;
    private final FloatBuffer labelBatch;
    private final FloatPointer[] deltaPtr = new FloatPointer[2];
    private final FloatBuffer[] delta = new FloatBuffer[2];
    /** Heap chunks: the element-wise loops run on these (the JIT vectorises them) between bulk copies. */
    private final float[] x, y, dx, bias;

    private DenseTrainer(MultiLayerNetwork net, DenseLayout layout, DenseUpdater updater, INDArray features, INDArray labels,
                         int maxBatch, INDArray accumulator) {
        this.net = net;
        this.layout = layout;
        this.updater = updater;
        this.maxBatch = maxBatch;
        this.features = Nd4jBuffers.floats(features);
        this.labelsAreFeatures = labels == features;
        this.labels = labelsAreFeatures ? this.features : Nd4jBuffers.floats(labels);
        this.paramsPtr = Nd4jBuffers.pointer(net.params());
        this.gradsPtr = Nd4jBuffers.pointer(net.getFlattenedGradients());
        this.params = paramsPtr.asBuffer();
        this.grads = gradsPtr.asBuffer();
        INDArray stateView = net.getUpdater(true).getStateViewArray();
        this.state = stateView == null ? null : Nd4jBuffers.floats(stateView);
        this.accumulator = accumulator == null ? null : Nd4jBuffers.floats(accumulator);
        int layers = layout.layers().size();
        actPtr = new FloatPointer[layers + 1];
        act = new FloatBuffer[layers + 1];
        actPtr[0] = Nd4jBuffers.allocate((long) maxBatch * layout.inputs());
        for (int l = 0; l < layers; l++) actPtr[l + 1] = Nd4jBuffers.allocate((long) maxBatch * layout.layers().get(l).nOut());
        for (int l = 0; l <= layers; l++) act[l] = actPtr[l].asBuffer();
        FloatPointer labelPtr = labelsAreFeatures ? actPtr[0] : Nd4jBuffers.allocate((long) maxBatch * layout.outputs());
        labelBatch = labelPtr.asBuffer();
        int widest = Math.max(layout.widest(), layout.inputs());
        for (int k = 0; k < 2; k++) {
            deltaPtr[k] = Nd4jBuffers.allocate((long) maxBatch * widest);
            delta[k] = deltaPtr[k].asBuffer();
        }
        int chunk = Math.max(CHUNK, widest);
        x = new float[chunk];
        y = new float[chunk];
        dx = new float[chunk];
        bias = new float[widest];
    }

    /**
     * A trainer for {@code net}, or empty (saying why to {@code whyNot}) when the network uses
     * something it does not implement; then train with DL4J's {@code fit}.
     *
     * @param features    {@code [n, inputs]} rows the minibatches are gathered from
     * @param labels      {@code [n, outputs]} targets, or {@code features} itself (an autoencoder)
     * @param accumulator null, or a {@code [numParams]} running gradient sum the steps use (see {@link DenseUpdater#apply})
     */
    public static Optional<DenseTrainer> create(MultiLayerNetwork net, INDArray features, INDArray labels, int maxBatch,
                                                INDArray accumulator, Consumer<String> whyNot) {
        try {
            DenseLayout layout = DenseLayout.of(net);
            DenseUpdater updater = DenseUpdater.of(net);
            if (features.size(1) != layout.inputs() || labels.size(1) != layout.outputs() || features.size(0) != labels.size(0)) {
                throw new IllegalArgumentException("data of " + features.size(1) + " -> " + labels.size(1) + " columns for a "
                        + layout.inputs() + " -> " + layout.outputs() + " network");
            }
            return Optional.of(new DenseTrainer(net, layout, updater, features, labels, maxBatch, accumulator));
        } catch (DenseLayout.UnsupportedNetworkException e) {
            whyNot.accept(e.getMessage());
            return Optional.empty();
        }
    }

    /**
     * One optimisation step on the rows {@code order[from..to)}: forward, loss, backward, update,
     * iteration count + 1, as DL4J's {@code fit(x, y)}.
     *
     * @return the minibatch's mean loss (DL4J's score without its regularisation term)
     */
    public double step(int[] order, int from, int to) {
        int batch = to - from;
        if (batch < 1 || batch > maxBatch) throw new IllegalArgumentException("batch of " + batch + " rows; at most " + maxBatch);
        gather(order, from, batch);
        forward(batch);
        double loss = lossAndOutputDelta(batch);
        int iteration = net.getIterationCount();
        backwardAndUpdate(batch, iteration, net.getEpochCount());
        net.setIterationCount(iteration + 1);
        return loss;
    }

    private void gather(int[] order, int from, int batch) {
        int in = layout.inputs(), out = layout.outputs();
        for (int k = 0; k < batch; k++) {
            int row = order[from + k];
            act[0].put(k * in, features, row * in, in);
            if (!labelsAreFeatures) labelBatch.put(k * out, labels, row * out, out);
        }
    }

    private void forward(int batch) {
        for (int l = 0; l < layout.layers().size(); l++) {
            DenseLayout.Layer layer = layout.layers().get(l);
            int nIn = layer.nIn(), nOut = layer.nOut();
            // out = in · W, W being [nIn, nOut] column-major, i.e. W^T row-major
            gemm(NO_TRANS, TRANS, batch, nOut, nIn, actPtr[l], 0, nIn, paramsPtr, layer.weightOffset(), nIn, actPtr[l + 1], 0, nOut);
            biasAndActivation(act[l + 1], batch, nOut, (int) layer.biasOffset(), layer.activation());
        }
    }

    /** {@code z = act(z + b)} row by row, streamed through a heap chunk where the loop vectorises. */
    private void biasAndActivation(FloatBuffer z, int batch, int width, int biasOffset, DenseLayout.Activation activation) {
        params.get(biasOffset, bias, 0, width);
        int rowsPerChunk = Math.max(1, CHUNK / width);
        for (int r0 = 0; r0 < batch; r0 += rowsPerChunk) {
            int rows = Math.min(rowsPerChunk, batch - r0), n = rows * width, at = r0 * width;
            z.get(at, x, 0, n);
            for (int r = 0; r < rows; r++) addBias(x, r * width, width);
            activate(x, n, activation);
            z.put(at, x, 0, n);
        }
    }

    private void addBias(float[] v, int at, int width) {
        for (int j = 0; j < width; j++) v[at + j] += bias[j];
    }

    private static void activate(float[] v, int n, DenseLayout.Activation activation) {
        switch (activation) {
            case IDENTITY -> { }
            case RELU -> {
                for (int i = 0; i < n; i++) v[i] = Math.max(v[i], 0f);
            }
            case SIGMOID -> {
                for (int i = 0; i < n; i++) v[i] = (float) (1 / (1 + Math.exp(-v[i])));
            }
            case TANH -> {
                for (int i = 0; i < n; i++) v[i] = (float) Math.tanh(v[i]);
            }
        }
    }

    /** {@code d *= act'(a)} for {@code a} the activation's outputs. */
    private static void timesDerivative(float[] d, float[] a, int n, DenseLayout.Activation activation) {
        switch (activation) {
            case IDENTITY -> { }
            case RELU -> {
                for (int i = 0; i < n; i++) d[i] = a[i] > 0 ? d[i] : 0f;
            }
            case SIGMOID -> {
                for (int i = 0; i < n; i++) d[i] *= a[i] * (1 - a[i]);
            }
            case TANH -> {
                for (int i = 0; i < n; i++) d[i] *= 1 - a[i] * a[i];
            }
        }
    }

    /**
     * The loss of the batch and, into delta[0], its gradient with respect to the output layer's
     * pre-activation: squared error over the row's width (MSE) or over its observed (non-zero)
     * labels with {@link MaskedMseLoss}'s normalisation.
     */
    private double lossAndOutputDelta(int batch) {
        int last = layout.layers().size();
        int width = layout.outputs();
        DenseLayout.Activation activation = layout.layers().get(last - 1).activation();
        boolean masked = layout.loss() != DenseLayout.Loss.MSE;
        FloatBuffer out = act[last], d = delta[0];
        double total = 0;
        for (int r = 0; r < batch; r++) {
            int at = r * width;
            out.get(at, x, 0, width);
            labelBatch.get(at, y, 0, width);
            double squared = 0;
            int observed = 0;
            for (int j = 0; j < width; j++) {
                float residual = x[j] - y[j];
                if (masked) {
                    if (y[j] == 0) residual = 0;
                    else observed++;
                }
                squared += residual * residual;
                dx[j] = residual;
            }
            float divisor = switch (layout.loss()) {
                case MSE, MASKED_ALL_OUTPUTS -> width;
                case MASKED_OBSERVED -> Math.max(1, observed);
                case MASKED_SUM -> 1;
            };
            total += squared / divisor;
            float scale = 2f / divisor;
            for (int j = 0; j < width; j++) dx[j] *= scale;
            timesDerivative(dx, x, width, activation);
            d.put(at, dx, 0, width);
        }
        return total / batch;
    }

    /**
     * Backprop from the top layer down; each layer's parameters are updated as soon as the layer
     * below no longer needs them, while their gradient is still in cache. Every gradient is still
     * that of the parameters before the step, as in DL4J.
     */
    private void backwardAndUpdate(int batch, int iteration, int epoch) {
        int current = 0;
        for (int l = layout.layers().size() - 1; l >= 0; l--) {
            DenseLayout.Layer layer = layout.layers().get(l);
            int nIn = layer.nIn(), nOut = layer.nOut();
            FloatPointer d = deltaPtr[current];
            // dW (column-major [nIn, nOut]) = in^T · delta, i.e. dW^T = delta^T · in row-major
            if (batch == 1) outer(delta[current], act[l], nOut, nIn, (int) layer.weightOffset());
            else gemm(TRANS, NO_TRANS, nOut, nIn, batch, d, 0, nOut, actPtr[l], 0, nIn, gradsPtr, layer.weightOffset(), nIn);
            biasGradient(delta[current], batch, nOut, (int) layer.biasOffset());
            if (l > 0) {
                // delta of the layer below = (delta · W^T) ⊙ act'(its output)
                gemm(NO_TRANS, NO_TRANS, batch, nIn, nOut, d, 0, nOut, paramsPtr, layer.weightOffset(), nIn, deltaPtr[1 - current], 0, nIn);
            }
            updater.apply(layer.weightOffset(), layer.biasOffset() + nOut, params, grads, state, accumulator, batch, iteration, epoch);
            if (l == 0) break;
            current = 1 - current;
            timesDerivative(delta[current], act[l], batch * nIn, layout.layers().get(l - 1).activation());
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

    private void biasGradient(FloatBuffer d, int batch, int width, int biasOffset) {
        java.util.Arrays.fill(bias, 0, width, 0f);
        int rowsPerChunk = Math.max(1, CHUNK / width);
        for (int r0 = 0; r0 < batch; r0 += rowsPerChunk) {
            int rows = Math.min(rowsPerChunk, batch - r0);
            d.get(r0 * width, x, 0, rows * width);
            for (int r = 0; r < rows; r++) {
                for (int j = 0, at = r * width; j < width; j++) bias[j] += x[at + j];
            }
        }
        grads.put(biasOffset, bias, 0, width);
    }

    private void timesDerivative(FloatBuffer d, FloatBuffer out, int n, DenseLayout.Activation activation) {
        if (activation == DenseLayout.Activation.IDENTITY) return;
        for (int from = 0; from < n; from += CHUNK) {
            int len = Math.min(CHUNK, n - from);
            d.get(from, x, 0, len);
            out.get(from, y, 0, len);
            timesDerivative(x, y, len, activation);
            d.put(from, x, 0, len);
        }
    }

    /**
     * Row-major {@code C = op(A) · op(B)} on offsets into native buffers (distinct pointers; positions
     * are set, not allocated). A one-row product is a matrix-vector product and a one-deep product
     * an outer product, which {@code sgemm} computes several times slower (it packs for wide blocks):
     * the batch-1 networks take those paths.
     */
    private void gemm(int transA, int transB, int m, int n, int k, FloatPointer a, long aOffset, int lda,
                      FloatPointer b, long bOffset, int ldb, FloatPointer c, long cOffset, int ldc) {
        if (m == 1) {
            // c^T = op(B)^T a^T, with a a row (stride 1) or a column (stride lda)
            int incA = transA == NO_TRANS ? 1 : lda;
            if (transB == NO_TRANS) {
                openblas_nolapack.cblas_sgemv(ROW_MAJOR, TRANS, k, n, 1f, b.position(bOffset), ldb, a.position(aOffset), incA, 0f, c.position(cOffset), 1);
            } else {
                openblas_nolapack.cblas_sgemv(ROW_MAJOR, NO_TRANS, n, k, 1f, b.position(bOffset), ldb, a.position(aOffset), incA, 0f, c.position(cOffset), 1);
            }
        } else {
            openblas_nolapack.cblas_sgemm(ROW_MAJOR, transA, transB, m, n, k, 1f, a.position(aOffset), lda, b.position(bOffset), ldb,
                    0f, c.position(cOffset), ldc);
        }
    }
}
