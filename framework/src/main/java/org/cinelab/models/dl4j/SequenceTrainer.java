package org.cinelab.models.dl4j;

import org.bytedeco.javacpp.FloatPointer;
import org.cinelab.models.layers.DropoutMasks;
import org.cinelab.models.layers.ExpRows;
import org.cinelab.models.layers.LstmKernel;
import org.deeplearning4j.nn.graph.ComputationGraph;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.nd4j.linalg.api.ndarray.INDArray;

import java.nio.FloatBuffer;
import java.util.Optional;
import java.util.function.Consumer;
import java.util.function.IntConsumer;
import java.util.function.IntSupplier;

/**
 * Trains a recurrent network of CineLab's layers ({@link SequenceLayout}: optional id embedding,
 * {@code FusedLstm} layers, the last in {@code LastTimeStep}, one output layer) in place, one minibatch
 * per call, computing what DL4J's {@code fit} computes (same loss, gradients, dropout masks and
 * update, up to float rounding) without its per-step machinery: DL4J's {@code fit} creates ~175
 * native arrays per step here (input copies, permuted views, the last step's slice, loss and
 * gradient arrays), and the time-aware LSTM ~0.5 MB of heap. Here the LSTM layers run on
 * {@link LstmKernel}s sized once, the output layer is a one-layer {@link DenseStack}, and each layer
 * is updated ({@link DenseUpdater}) as soon as its gradient is complete. The parameters and optimiser
 * state stay in the network's arrays, so {@code output}, checkpoints and export see every step.
 *
 * <p>The caller writes a minibatch as time-major arrays (row {@code t * batch + b} is step t of
 * example b): the continuous channels, the ids, and the targets (one-hot rows for a softmax output).
 */
public final class SequenceTrainer {
    private final SequenceLayout layout;
    private final DenseUpdater updater;
    private final IntSupplier iteration, epoch;
    private final IntConsumer setIteration;
    private final int maxBatch, steps;
    private final FloatBuffer params, grads, state;
    private final long paramsAddress, gradsAddress;
    private final LstmKernel[] kernels;
    private final LstmKernel.Weights[] weights, gradients;
    /** Each kernel's hidden states and their gradients as floats (its buffers are sized once, for the largest batch). */
    private final FloatBuffer[] hidden, hiddenGradients;
    /** The first layer's input rows [steps * batch, inputWidth], and dLoss/d(those rows). */
    private final FloatPointer input, inputDelta;
    private final FloatBuffer inputValues, inputDeltaValues;
    /** Per LSTM layer with dropout: its dropped input rows (what it multiplies), else null. */
    private final FloatPointer[] dropped;
    /** Per LSTM layer with dropout: the current step's mask, drawn again where backprop needs it (it is counter-based). */
    private final DropoutMasks.Draw[] draws;
    private final DenseStack head;
    /** dLoss/d(last step's hidden state), [batch, hidden]. */
    private final FloatPointer lastDelta;
    private final FloatBuffer lastDeltaValues;
    private final float[] x, y, zeros = new float[DenseStack.CHUNK];
    /** One embedding row's gradient while a run of its id is scattered (empty without an embedding). */
    private final float[] rowGradient;

    private SequenceTrainer(SequenceLayout layout, DenseUpdater updater, INDArray params, INDArray grads, INDArray stateView, int maxBatch,
                            int steps, IntSupplier iteration, IntConsumer setIteration, IntSupplier epoch) {
        this.layout = layout;
        this.updater = updater;
        this.iteration = iteration;
        this.setIteration = setIteration;
        this.epoch = epoch;
        this.maxBatch = maxBatch;
        this.steps = steps;
        FloatPointer paramsPtr = Nd4jBuffers.pointer(params), gradsPtr = Nd4jBuffers.pointer(grads);
        this.params = paramsPtr.asBuffer();
        this.grads = gradsPtr.asBuffer();
        this.paramsAddress = paramsPtr.address();
        this.gradsAddress = gradsPtr.address();
        this.state = stateView == null ? null : Nd4jBuffers.floats(stateView);
        int n = layout.recurrent().size();
        kernels = new LstmKernel[n];
        weights = new LstmKernel.Weights[n];
        gradients = new LstmKernel.Weights[n];
        hidden = new FloatBuffer[n];
        hiddenGradients = new FloatBuffer[n];
        dropped = new FloatPointer[n];
        draws = new DropoutMasks.Draw[n];
        int widest = layout.inputWidth();
        long rows = (long) steps * maxBatch;
        for (int l = 0; l < n; l++) {
            SequenceLayout.Recurrent r = layout.recurrent().get(l);
            kernels[l] = LstmKernel.create(r.nIn(), r.hidden());
            kernels[l].prepare(maxBatch, steps, false);
            kernels[l].hiddenGradientAddress(); // sized now: the buffers never grow after this
            hidden[l] = kernels[l].hiddenFloats();
            hiddenGradients[l] = kernels[l].hiddenGradientFloats();
            weights[l] = new LstmKernel.Weights(paramsAddress + r.w() * Float.BYTES, paramsAddress + r.rw() * Float.BYTES,
                    paramsAddress + r.b() * Float.BYTES);
            gradients[l] = new LstmKernel.Weights(gradsAddress + r.w() * Float.BYTES, gradsAddress + r.rw() * Float.BYTES,
                    gradsAddress + r.b() * Float.BYTES);
            if (r.retain() < 1) {
                dropped[l] = Nd4jBuffers.allocate(rows * r.nIn());
                draws[l] = new DropoutMasks.Draw();
            }
            widest = Math.max(widest, Math.max(r.nIn(), r.hidden()));
        }
        input = Nd4jBuffers.allocate(rows * layout.inputWidth());
        inputValues = input.asBuffer();
        inputDelta = Nd4jBuffers.allocate(rows * layout.inputWidth());
        inputDeltaValues = inputDelta.asBuffer();
        head = new DenseStack(java.util.List.of(layout.output()), updater, paramsPtr, gradsPtr, state, maxBatch);
        int top = layout.recurrent().get(n - 1).hidden();
        lastDelta = Nd4jBuffers.allocate((long) maxBatch * top);
        lastDeltaValues = lastDelta.asBuffer();
        int chunk = Math.max(DenseStack.CHUNK, Math.max(maxBatch * widest, layout.output().nOut()));
        x = new float[chunk];
        y = new float[chunk];
        rowGradient = new float[layout.embedding() == null ? 0 : layout.embedding().width()];
    }

    /** A trainer for {@code net} on minibatches of at most {@code maxBatch} sequences of {@code steps} steps, or empty (saying why). */
    public static Optional<SequenceTrainer> create(MultiLayerNetwork net, int maxBatch, int steps, Consumer<String> whyNot) {
        try {
            return Optional.of(new SequenceTrainer(SequenceLayout.of(net), DenseUpdater.of(net.getUpdater(true)), net.params(),
                    net.getFlattenedGradients(), net.getUpdater(true).getStateViewArray(), maxBatch, steps, net::getIterationCount,
                    net::setIterationCount, net::getEpochCount));
        } catch (DenseLayout.UnsupportedNetworkException e) {
            whyNot.accept(e.getMessage());
            return Optional.empty();
        }
    }

    /** {@link #create(MultiLayerNetwork, int, int, Consumer)} for a graph (inputs: steps, then optionally ids). */
    public static Optional<SequenceTrainer> create(ComputationGraph net, int maxBatch, int steps, Consumer<String> whyNot) {
        try {
            return Optional.of(new SequenceTrainer(SequenceLayout.of(net), DenseUpdater.of(net.getUpdater(true)), net.params(),
                    net.getFlattenedGradients(), net.getUpdater(true).getStateViewArray(), maxBatch, steps,
                    () -> net.getConfiguration().getIterationCount(), i -> net.getConfiguration().setIterationCount(i),
                    () -> net.getConfiguration().getEpochCount()));
        } catch (DenseLayout.UnsupportedNetworkException e) {
            whyNot.accept(e.getMessage());
            return Optional.empty();
        }
    }

    /** Continuous inputs per step (0: the ids are the only input). */
    public int channels() { return layout.channels(); }

    /** Whether a step reads ids. */
    public boolean embedsIds() { return layout.embedding() != null; }

    /**
     * One optimisation step, as DL4J's {@code fit} of the same minibatch, iteration count + 1.
     *
     * @param channels time-major {@code [steps * batch, channels]} continuous inputs (unused when there are none)
     * @param ids      time-major {@code [steps * batch]} ids to embed (unused without an embedding)
     * @param targets  {@code [batch, outputs]}: the regression targets, or one-hot rows for a softmax output
     * @return the minibatch's mean loss (DL4J's score without its regularisation term)
     */
    public double step(int batch, float[] channels, int[] ids, float[] targets) {
        if (batch < 1 || batch > maxBatch) throw new IllegalArgumentException("batch of " + batch + " sequences; at most " + maxBatch);
        gather(batch, channels, ids);
        int n = kernels.length;
        for (int l = 0; l < n; l++) {
            long in = l == 0 ? input.address() : kernels[l - 1].hiddenAddress(0);
            if (dropped[l] != null) in = drop(l, batch);
            kernels[l].prepare(batch, steps, false);
            kernels[l].forward(in, weights[l]);
        }
        int top = layout.recurrent().get(n - 1).hidden();
        head.input().put(0, hidden[n - 1], steps * batch * top, batch * top);
        head.forward(batch);
        double loss = lossAndOutputDelta(batch, targets);
        int it = iteration.getAsInt(), ep = epoch.getAsInt();
        head.backwardAndUpdate(batch, it, ep, lastDelta, lastDeltaValues);
        FloatBuffer dh = hiddenGradients[n - 1];
        for (int at = 0, end = (steps - 1) * batch * top; at < end; at += zeros.length) dh.put(at, zeros, 0, Math.min(zeros.length, end - at));
        dh.put((steps - 1) * batch * top, lastDeltaValues, 0, batch * top);
        for (int l = n - 1; l >= 0; l--) {
            SequenceLayout.Recurrent r = layout.recurrent().get(l);
            long below = l > 0 ? kernels[l - 1].hiddenGradientAddress() : inputDelta.address();
            kernels[l].backward(weights[l], gradients[l], below);
            if (dropped[l] != null && l > 0) timesMask(l, batch, hiddenGradients[l - 1]);
            updater.apply(r.w(), r.end(), params, grads, state, null, batch, it, ep);
        }
        if (layout.embedding() != null) {
            if (dropped[0] != null) timesMask(0, batch, inputDeltaValues);
            scatter(batch, ids);
            TowerLayout.Table t = layout.embedding();
            updater.apply(t.offset(), t.offset() + t.length(), params, grads, state, null, batch, it, ep);
        }
        setIteration.accept(it + 1);
        return loss;
    }

    /**
     * The network's outputs for a minibatch, as DL4J's {@code output} (inference: no dropout, and no
     * mask drawn, so training draws what it would have without this call), in the buffers the steps
     * use: evaluation allocates nothing. The parameters and the iteration count are untouched.
     *
     * @param channels time-major continuous inputs, as for {@link #step}
     * @param ids      time-major ids, as for {@link #step}
     * @param outputs  {@code [batch, outputs]}: the output layer's activations (a softmax's probabilities)
     */
    public void predict(int batch, float[] channels, int[] ids, float[] outputs) {
        if (batch < 1 || batch > maxBatch) throw new IllegalArgumentException("batch of " + batch + " sequences; at most " + maxBatch);
        gather(batch, channels, ids);
        for (int l = 0; l < kernels.length; l++) {
            kernels[l].prepare(batch, steps, false);
            kernels[l].forward(l == 0 ? input.address() : kernels[l - 1].hiddenAddress(0), weights[l]);
        }
        int top = layout.recurrent().get(kernels.length - 1).hidden(), width = layout.output().nOut();
        head.input().put(0, hidden[kernels.length - 1], steps * batch * top, batch * top);
        head.infer(batch);
        head.output().get(0, outputs, 0, batch * width);
        for (int r = 0; r < batch; r++) {
            if (layout.activation() == SequenceLayout.OutputActivation.SOFTMAX) {
                System.arraycopy(outputs, r * width, x, 0, width);
                float inv = exponentials(width);
                for (int j = 0; j < width; j++) outputs[r * width + j] = y[j] * inv;
            } else {
                for (int j = 0; j < width; j++) outputs[r * width + j] = activate(layout.activation(), outputs[r * width + j]);
            }
        }
    }

    /** Input row (t, b) = [channels of (t, b) | embedding row of ids[t * batch + b]]. */
    private void gather(int batch, float[] channels, int[] ids) {
        int c = layout.channels(), width = layout.inputWidth(), rows = steps * batch;
        TowerLayout.Table t = layout.embedding();
        int inX = -1; // the id whose embedding row x[c..] holds: time-major padded batches repeat one id for whole steps
        for (int r = 0; r < rows; r++) {
            if (c > 0) System.arraycopy(channels, r * c, x, 0, c);
            if (t != null) {
                int id = ids[r];
                if (id < 0 || id >= t.ids()) throw new IllegalArgumentException("id " + id + " outside the embedding's [0, " + t.ids() + ")");
                if (id != inX) {
                    for (int j = 0; j < t.width(); j++) x[c + j] = params.get(t.at(id, j));
                    inX = id;
                }
            }
            inputValues.put(r * width, x, 0, width);
        }
    }

    /**
     * DL4J's input dropout of LSTM layer l (see {@code FusedLstmLayer}): ND4J's inverted-dropout mask
     * over a [batch, nIn, steps] column-major array (drawn in Java, the same values from the same
     * generator), the input times the mask.
     *
     * @return the address of the dropped input rows
     */
    private long drop(int l, int batch) {
        int nIn = layout.recurrent().get(l).nIn();
        draws[l].next(batch * nIn * steps, layout.recurrent().get(l).retain());
        FloatBuffer in = l == 0 ? inputValues : hidden[l - 1];
        int inAt = l == 0 ? 0 : batch * nIn; // past the initial-state block
        FloatBuffer out = dropped[l].asBuffer();
        int block = batch * nIn;
        for (int t = 0; t < steps; t++) {
            in.get(inAt + t * block, x, 0, block);
            timesStepMask(l, batch, t, x);
            out.put(t * block, x, 0, block);
        }
        return dropped[l].address();
    }

    /** {@code d ⊙= mask} of layer l's input, d being time-major rows [steps * batch, nIn]. */
    private void timesMask(int l, int batch, FloatBuffer d) {
        int block = batch * layout.recurrent().get(l).nIn();
        for (int t = 0; t < steps; t++) {
            d.get(t * block, x, 0, block);
            timesStepMask(l, batch, t, x);
            d.put(t * block, x, 0, block);
        }
    }

    /** {@code rows ⊙= step t's mask}, rows [batch, nIn] row-major; the mask of step t is [batch, nIn] column-major: (b, i) at b + batch * i. */
    private void timesStepMask(int l, int batch, int t, float[] rows) {
        int nIn = layout.recurrent().get(l).nIn(), block = batch * nIn;
        draws[l].fill(y, 0, t * block, block);
        for (int b = 0; b < batch; b++) {
            for (int i = 0; i < nIn; i++) rows[b * nIn + i] *= y[b + batch * i];
        }
    }

    /**
     * The batch's loss and, into the head's output delta, its gradient with respect to the output
     * layer's pre-activation: DL4J's MCXENT after softmax (probabilities clipped to [1e-10, 1 - 1e-10],
     * gradient p - y) or its MSE (squared error over the row's width) after the output activation.
     */
    private double lossAndOutputDelta(int batch, float[] targets) {
        int width = layout.output().nOut();
        FloatBuffer out = head.output(), delta = head.outputDelta();
        double total = 0;
        for (int r = 0; r < batch; r++) {
            out.get(r * width, x, 0, width);
            if (layout.activation() == SequenceLayout.OutputActivation.SOFTMAX) {
                float inv = exponentials(width);
                for (int j = 0; j < width; j++) {
                    float p = Math.min(Math.max(y[j] * inv, 1e-10f), 1f - 1e-10f);
                    float label = targets[r * width + j];
                    if (label != 0) total -= label * Math.log(p);
                    y[j] = p - label;
                }
            } else {
                float scale = 2f / width;
                for (int j = 0; j < width; j++) {
                    float z = x[j], a = activate(layout.activation(), z);
                    float residual = a - targets[r * width + j];
                    total += (double) residual * residual / width;
                    y[j] = residual * scale * derivative(layout.activation(), z, a);
                }
            }
            delta.put(r * width, y, 0, width);
        }
        return total / batch;
    }

    /** A softmax row's unnormalised part: {@code y = e^(x - max x)} over {@code width}; returns 1 / their sum. */
    private float exponentials(int width) {
        float max = ExpRows.max(x, width);
        return (float) (1 / ExpRows.expMinus(x, max, y, width));
    }

    private static final float SELU_ALPHA = 1.6732632423543772848170429916717f, SELU_SCALE = 1.0507009873554804934193349852946f;

    /** libnd4j's activations (GELU: its default, {@code x·sigmoid(1.702x)}). */
    static float activate(SequenceLayout.OutputActivation f, float z) {
        return switch (f) {
            case IDENTITY, SOFTMAX -> z;
            case RELU -> Math.max(z, 0f);
            case SIGMOID -> sigmoid(z);
            case TANH -> (float) Math.tanh(z);
            case SWISH -> z * sigmoid(z);
            case GELU -> z * sigmoid(1.702f * z);
            case SELU -> z > 0 ? SELU_SCALE * z : SELU_SCALE * SELU_ALPHA * ((float) Math.exp(z) - 1f);
        };
    }

    /** d activation / dz at {@code z}, whose activation is {@code a}. */
    static float derivative(SequenceLayout.OutputActivation f, float z, float a) {
        return switch (f) {
            case IDENTITY, SOFTMAX -> 1f;
            case RELU -> z > 0 ? 1f : 0f;
            case SIGMOID -> a * (1 - a);
            case TANH -> 1 - a * a;
            case SWISH -> {
                float s = sigmoid(z);
                yield s + z * s * (1 - s);
            }
            case GELU -> {
                float s = sigmoid(1.702f * z);
                yield s + 1.702f * z * s * (1 - s);
            }
            case SELU -> z > 0 ? SELU_SCALE : SELU_SCALE * SELU_ALPHA * (float) Math.exp(z);
        };
    }

    private static float sigmoid(float z) { return (float) (1 / (1 + Math.exp(-z))); }

    /** The embedding's gradient: zero, then each row's slice of dLoss/d(input) added to its id's row (DL4J's scatter-add). */
    private void scatter(int batch, int[] ids) {
        TowerLayout.Table t = layout.embedding();
        for (long at = t.offset(); at < t.offset() + t.length(); at += zeros.length) {
            grads.put((int) at, zeros, 0, (int) Math.min(zeros.length, t.offset() + t.length() - at));
        }
        int c = layout.channels(), width = layout.inputWidth(), rows = steps * batch;
        // a run of one id (padding repeats id 0 along a time step's rows) adds into rowGradient, read
        // from the table at its start and written back at its end: the same additions in the same order
        for (int r = 0, end; r < rows; r = end) {
            int id = ids[r];
            for (end = r + 1; end < rows && ids[end] == id; end++) { }
            if (end - r == 1) {
                inputDeltaValues.get(r * width + c, x, 0, t.width());
                for (int j = 0; j < t.width(); j++) {
                    int at = t.at(id, j);
                    grads.put(at, grads.get(at) + x[j]);
                }
                continue;
            }
            for (int j = 0; j < t.width(); j++) rowGradient[j] = grads.get(t.at(id, j));
            for (int q = r; q < end; q++) {
                inputDeltaValues.get(q * width + c, x, 0, t.width());
                for (int j = 0; j < t.width(); j++) rowGradient[j] += x[j];
            }
            for (int j = 0; j < t.width(); j++) grads.put(t.at(id, j), rowGradient[j]);
        }
    }
}
