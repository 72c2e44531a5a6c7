package org.cinelab.models.dl4j;

import org.cinelab.models.layers.ExpRows;
import org.cinelab.models.layers.Residuals;
import org.cinelab.models.layers.SplitLoop;
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
 * every operation. Here the layers run as a {@link DenseStack} (one forward and two backward
 * {@code sgemm} calls per layer into buffers allocated once, Java loops for the rest, the update as
 * one pass per layer): a step allocates nothing, on or off the heap.
 *
 * <p>The parameters, gradients and optimiser state stay in the network's own arrays, so the
 * network's {@code output}, checkpoints ({@link NetworkCheckpoint}) and export see every step. The
 * minibatch is gathered from fixed {@code [n, width]} matrices by row index.
 */
public final class DenseTrainer {
    private final MultiLayerNetwork net;
    private final DenseLayout layout;
    private final DenseStack stack;
    private final int maxBatch;
    private final FloatBuffer features, labels, labelBatch, accumulator;
    /**
     * What the buffers above point into, held for the trainer's life: a direct buffer made from a
     * pointer or an array does not keep it alive, and a collected one frees its memory under the buffer.
     */
    private final Object[] backing;
    /** Native memory behind {@link #labelBatch}; a direct buffer does not keep its pointer alive, this field does. */
    private final org.bytedeco.javacpp.FloatPointer labelMemory;
    private final boolean labelsAreFeatures;
    /** Per lane of the loss pass ({@link SplitLoop}): a row's output, labels and delta. */
    private final float[][] out, y, d;
    /** Each row's loss, summed in row order after the pass so the total does not depend on the lanes. */
    private final double[] rowLoss;
    private final int threads;
    private final SplitLoop.Body lossPass = this::lossAndOutputDelta;

    private DenseTrainer(MultiLayerNetwork net, DenseLayout layout, DenseUpdater updater, INDArray features, INDArray labels,
                         int maxBatch, INDArray accumulator) {
        this.net = net;
        this.layout = layout;
        this.maxBatch = maxBatch;
        INDArray stateView = net.getUpdater(true).getStateViewArray();
        this.stack = new DenseStack(layout.layers(), updater, Nd4jBuffers.pointer(net.params()), Nd4jBuffers.pointer(net.getFlattenedGradients()),
                stateView == null ? null : Nd4jBuffers.floats(stateView), maxBatch);
        this.features = Nd4jBuffers.floats(features);
        this.labelsAreFeatures = labels == features;
        this.labels = labelsAreFeatures ? this.features : Nd4jBuffers.floats(labels);
        labelMemory = labelsAreFeatures ? null : Nd4jBuffers.allocate((long) maxBatch * layout.outputs());
        this.labelBatch = labelsAreFeatures ? stack.input() : labelMemory.asBuffer();
        this.backing = new Object[]{features, labels, accumulator};
        this.accumulator = accumulator == null ? null : Nd4jBuffers.floats(accumulator);
        threads = Nd4jRuntime.threads();
        int lanes = SplitLoop.lanes(threads);
        out = new float[lanes][layout.outputs()];
        y = new float[lanes][layout.outputs()];
        d = new float[lanes][layout.outputs()];
        rowLoss = new double[maxBatch];
    }

    /** The label batch's native memory (null for an autoencoder), so a test can see it stays reachable. */
    org.bytedeco.javacpp.FloatPointer labelMemory() {
        return labelMemory;
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
            DenseUpdater updater = DenseUpdater.of(net.getUpdater(true));
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
        stack.forward(batch);
        double loss = lossAndOutputDelta(batch);
        int iteration = net.getIterationCount();
        stack.backwardAndUpdate(batch, iteration, net.getEpochCount(), accumulator, null, null);
        net.setIterationCount(iteration + 1);
        return loss;
    }

    private void gather(int[] order, int from, int batch) {
        int in = layout.inputs(), width = layout.outputs();
        FloatBuffer input = stack.input();
        for (int k = 0; k < batch; k++) {
            int row = order[from + k];
            input.put(k * in, features, row * in, in);
            if (!labelsAreFeatures) labelBatch.put(k * width, labels, row * width, width);
        }
    }

    /**
     * The loss of the batch and, into the stack's output delta, its gradient with respect to the
     * output layer's pre-activation: (masked) squared error, softmax cross-entropy or binary
     * cross-entropy, per row.
     */
    private double lossAndOutputDelta(int batch) {
        SplitLoop.run(threads, batch, 1, (long) batch * layout.outputs(), lossPass);
        double total = 0;
        for (int r = 0; r < batch; r++) total += rowLoss[r];
        return total / batch;
    }

    /** {@link #lossAndOutputDelta(int)} of rows {@code [from, to)} on lane {@code lane}. */
    private void lossAndOutputDelta(int lane, int from, int to) {
        int width = layout.outputs();
        FloatBuffer output = stack.output(), delta = stack.outputDelta();
        float[] out = this.out[lane], y = this.y[lane], d = this.d[lane];
        for (int r = from; r < to; r++) {
            int at = r * width;
            output.get(at, out, 0, width);
            labelBatch.get(at, y, 0, width);
            rowLoss[r] = switch (layout.loss()) {
                case SOFTMAX_CROSS_ENTROPY -> softmaxCrossEntropy(out, y, d, width);
                case SIGMOID_BINARY_CROSS_ENTROPY -> binaryCrossEntropy(out, y, d, width, (float) layout.binaryClip());
                case MSE, MASKED_ALL_OUTPUTS, MASKED_OBSERVED, MASKED_SUM -> squaredError(out, y, d, width);
            };
            delta.put(at, d, 0, width);
        }
    }

    /**
     * One row's squared error over its width (MSE) or over its observed (non-zero) labels with
     * {@link MaskedMseLoss}'s normalisation; its gradient with respect to the pre-activation into {@code d}.
     */
    private double squaredError(float[] out, float[] y, float[] d, int width) {
        int observed = Residuals.of(out, y, d, width, layout.loss() != DenseLayout.Loss.MSE);
        double squared = Residuals.sumOfSquares(d, width);
        float divisor = switch (layout.loss()) {
            case MASKED_OBSERVED -> Math.max(1, observed);
            case MASKED_SUM -> 1;
            default -> width;
        };
        float scale = 2f / divisor;
        for (int j = 0; j < width; j++) d[j] *= scale;
        DenseStack.timesDerivative(d, out, width, stack.outputActivation());
        return squared / divisor;
    }

    /**
     * DL4J's MCXENT after softmax, of one row of logits {@code z}: {@code −Σ y·log p} with
     * {@code p = softmax(z)} clipped to {@code [1e-10, 1 − 1e-10]}; its gradient with respect to the
     * logits, {@code p − y}, into {@code d}.
     */
    private static double softmaxCrossEntropy(float[] z, float[] y, float[] d, int width) {
        float max = ExpRows.max(z, width);
        double sum = ExpRows.expMinus(z, max, d, width);
        float inv = (float) (1 / sum);
        double loss = 0;
        for (int j = 0; j < width; j++) {
            float p = Math.min(Math.max(d[j] * inv, 1e-10f), 1f - 1e-10f);
            if (y[j] != 0) loss -= y[j] * Math.log(p);
            d[j] = p - y[j];
        }
        return loss;
    }

    /**
     * DL4J's binary cross-entropy after sigmoid, of one row of sigmoid outputs {@code s}: with
     * {@code p = s} clipped to {@code [clip, 1 − clip]}, {@code −Σ y·log p + (1 − y)·log(1 − p)}; its
     * gradient with respect to the pre-activation as DL4J takes it, {@code (p − y) / (p(1 − p)) · s(1 − s)}
     * ({@code s − y} where nothing is clipped), into {@code d}.
     */
    private static double binaryCrossEntropy(float[] s, float[] y, float[] d, int width, float clip) {
        double loss = 0;
        for (int j = 0; j < width; j++) {
            float p = Math.min(Math.max(s[j], clip), 1f - clip);
            loss -= y[j] * Math.log(p) + (1 - y[j]) * Math.log(1 - p);
            d[j] = (p - y[j]) / (p * (1 - p)) * (s[j] * (1 - s[j]));
        }
        return loss;
    }
}
