package org.cinelab.models.dl4j;

import org.bytedeco.javacpp.FloatPointer;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

import java.nio.FloatBuffer;
import java.util.ArrayList;
import java.util.List;

/**
 * Dense layers (ReLU inside, linear output) that a caller trains with a loss and an optimiser of its
 * own, on {@link DenseStack}'s forward pass and backprop: products split over the process's threads,
 * the first layer multiplying only its input's non-zero band. DEC's refinement needs this: its KL loss
 * to a target distribution and classic SGD momentum are neither of them DL4J's.
 *
 * <p>The parameters are a copy, laid out as DL4J's (per layer {@code W} {@code [nIn, nOut]}
 * column-major, then {@code b}); {@link #backward} leaves the gradient of the loss whose derivative
 * the caller put in {@link #outputDelta()} in {@link #gradients()}, for the caller to step
 * {@link #parameters()} with.
 */
public final class DenseEncoder {
    private final DenseStack stack;
    private final FloatPointer paramsPtr, gradsPtr;
    private final FloatBuffer params, grads;
    private final List<DenseLayout.Layer> layers = new ArrayList<>();
    private final int maxBatch;

    /**
     * @param weights  per layer {@code [nIn, nOut]}
     * @param biases   per layer {@code nOut} values
     * @param maxBatch the most rows one {@link #forward} takes
     */
    public DenseEncoder(List<INDArray> weights, List<INDArray> biases, int maxBatch) {
        if (weights.isEmpty() || weights.size() != biases.size()) {
            throw new IllegalArgumentException(weights.size() + " weight arrays and " + biases.size() + " biases");
        }
        long offset = 0;
        for (int l = 0; l < weights.size(); l++) {
            int nIn = (int) weights.get(l).size(0), nOut = (int) weights.get(l).size(1);
            if (l > 0 && nIn != layers.get(l - 1).nOut()) throw new IllegalArgumentException("layer " + l + " takes " + nIn + " inputs");
            DenseLayout.Activation a = l < weights.size() - 1 ? DenseLayout.Activation.RELU : DenseLayout.Activation.IDENTITY;
            layers.add(new DenseLayout.Layer(nIn, nOut, a, offset, offset + (long) nIn * nOut));
            offset += (long) nIn * nOut + nOut;
        }
        paramsPtr = Nd4jBuffers.allocate(offset);
        gradsPtr = Nd4jBuffers.allocate(offset);
        params = paramsPtr.asBuffer();
        grads = gradsPtr.asBuffer();
        for (int l = 0; l < weights.size(); l++) {
            DenseLayout.Layer layer = layers.get(l);
            float[] w = weights.get(l).castTo(DataType.FLOAT).dup('f').data().asFloat(); // column-major: DL4J's layout
            params.put((int) layer.weightOffset(), w);
            params.put((int) layer.biasOffset(), biases.get(l).castTo(DataType.FLOAT).reshape(layer.nOut()).toFloatVector());
        }
        this.maxBatch = maxBatch;
        stack = new DenseStack(layers, DenseUpdater.none(), paramsPtr, gradsPtr, null, maxBatch);
    }

    public int inputs() { return stack.inputs(); }

    public int outputs() { return stack.outputs(); }

    public int maxBatch() { return maxBatch; }

    /**
     * Rows {@code rows[from..to)} of {@code source} (or rows {@code from..to} when {@code rows} is null)
     * through the layers: the output, {@code [to - from, outputs]} row-major, valid until the next call.
     */
    public FloatBuffer forward(Rows source, int[] rows, int from, int to) {
        int batch = to - from, in = inputs();
        if (batch < 1 || batch > maxBatch) throw new IllegalArgumentException("batch of " + batch + " rows; at most " + maxBatch);
        if (source.width != in) throw new IllegalArgumentException("rows of " + source.width + " values; the first layer takes " + in);
        FloatBuffer input = stack.input();
        for (int k = 0; k < batch; k++) input.put(k * in, source.values, (rows == null ? from + k : rows[from + k]) * in, in);
        stack.forward(batch);
        return stack.output();
    }

    /** Where the caller puts dLoss/d(output) of the last {@link #forward}'s rows before {@link #backward}. */
    public FloatBuffer outputDelta() { return stack.outputDelta(); }

    /** Backprop of {@link #outputDelta()} through the last forward pass into {@link #gradients()}; the parameters do not move. */
    public void backward(int batch) {
        stack.backwardAndUpdate(batch, 0, 0, null, null);
    }

    public FloatBuffer parameters() { return params; }

    public FloatBuffer gradients() { return grads; }

    public long parameterCount() { return params.capacity(); }

    /** Layer {@code l}'s weights {@code [nIn, nOut]} as they are now (a copy). */
    public INDArray weights(int l) { return weights(params, l); }

    /** Layer {@code l}'s bias {@code [nOut]} as it is now (a copy). */
    public INDArray bias(int l) { return bias(params, l); }

    /** The gradient of layer {@code l}'s weights after {@link #backward} (a copy). */
    public INDArray weightGradient(int l) { return weights(grads, l); }

    /** The gradient of layer {@code l}'s bias after {@link #backward} (a copy). */
    public INDArray biasGradient(int l) { return bias(grads, l); }

    private INDArray weights(FloatBuffer from, int l) {
        DenseLayout.Layer layer = layers.get(l);
        float[] w = new float[layer.nIn() * layer.nOut()];
        from.get((int) layer.weightOffset(), w);
        return Nd4j.create(w, new long[]{layer.nIn(), layer.nOut()}, 'f').dup('c');
    }

    private INDArray bias(FloatBuffer from, int l) {
        float[] b = new float[layers.get(l).nOut()];
        from.get((int) layers.get(l).biasOffset(), b);
        return Nd4j.createFromArray(b);
    }

    public int layerCount() { return layers.size(); }

    /** A dense FLOAT {@code [n, width]} array's rows for {@link #forward}; holds the array, so its memory stays alive. */
    public static final class Rows {
        private final INDArray array;
        private final FloatBuffer values;
        private final int count, width;

        public Rows(INDArray source) {
            if (source.rank() != 2) throw new IllegalArgumentException("expected [n, width] rows, got rank " + source.rank());
            INDArray f = source.castTo(DataType.FLOAT);
            array = f.isView() || f.ordering() != 'c' ? f.dup('c') : f;
            values = Nd4jBuffers.floats(array);
            count = (int) array.size(0);
            width = (int) array.size(1);
        }

        public int count() { return count; }
    }
}
