package org.cinelab.models.layers;

import org.deeplearning4j.exception.DL4JInvalidInputException;
import org.deeplearning4j.nn.conf.NeuralNetConfiguration;
import org.deeplearning4j.nn.conf.RNNFormat;
import org.deeplearning4j.nn.gradient.DefaultGradient;
import org.deeplearning4j.nn.gradient.Gradient;
import org.deeplearning4j.nn.layers.BaseLayer;
import org.deeplearning4j.nn.workspace.ArrayType;
import org.deeplearning4j.nn.workspace.LayerWorkspaceMgr;
import org.nd4j.common.primitives.Pair;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;

import java.nio.ByteBuffer;
import java.util.Arrays;

/**
 * The DL4J layer behind {@link SequenceEmbedding}. Forward reads the indices once into a reused int
 * array, transposes W (column-major, as DL4J stores it) into a reused row-major table and copies
 * rows from it into a time-major output array in the activations workspace; backward adds each
 * step's output gradient into a row-major table and transposes that into W's gradient view. Reading
 * or adding rows of a column-major W directly touched one cache line per value and ran ~3x slower
 * at length 1,500. No array is allocated per batch besides the output itself.
 */
final class SequenceEmbeddingLayer extends BaseLayer<SequenceEmbedding> {
    /** Indices of the last forward pass, time-major: {@code t * batch + b}. */
    private int[] indices = new int[0];
    /** W row-major, rebuilt each forward pass: rows are then contiguous copies (W itself is column-major). */
    private final NativeFloats rowMajor = new NativeFloats();
    /** The gradient of W row-major, before it is transposed into DL4J's column-major gradient view. */
    private final NativeFloats gradientRows = new NativeFloats();
    private int batch;
    private int steps;
    private INDArray indexedInput;

    SequenceEmbeddingLayer(NeuralNetConfiguration conf, DataType dataType) {
        super(conf, dataType);
    }

    /** The input as [batch, length] (DL4J also accepts [batch, 1, length] and, for length 1, [batch]). */
    private INDArray indexMatrix() {
        INDArray in = input;
        if (in.rank() == 1) in = in.reshape(in.length(), 1);
        if (in.rank() == 3 && in.size(1) == 1) in = in.reshape(in.ordering(), in.size(0), in.size(2));
        if (in.rank() != 2) {
            throw new DL4JInvalidInputException("SequenceEmbedding " + layerId() + ": expected input [batch, length] or [batch, 1, length] of indices, got shape "
                    + Arrays.toString(input.shape()));
        }
        return in.dataType() == DataType.FLOAT ? in : in.castTo(DataType.FLOAT);
    }

    private void readIndices() {
        INDArray in = indexMatrix();
        SequenceEmbedding c = layerConf();
        batch = (int) in.size(0);
        steps = (int) in.size(1);
        if (!c.inferInputLength() && steps != c.inputLength()) {
            throw new DL4JInvalidInputException("SequenceEmbedding " + layerId() + ": sequences have length " + steps
                    + ", the layer's inputLength is " + c.inputLength());
        }
        int n = batch * steps;
        if (indices.length < n) indices = new int[n];
        long vocabulary = c.getNIn();
        ByteBuffer bytes = NativeMemory.bytes(in);
        long sb = in.stride(0), st = in.stride(1);
        for (int b = 0; b < batch; b++) {
            for (int t = 0; t < steps; t++) {
                float v = bytes.getFloat((int) (4 * (b * sb + t * st)));
                int index = (int) v;
                if (index != v || index < 0 || index >= vocabulary) {
                    throw new DL4JInvalidInputException("SequenceEmbedding " + layerId() + ": entry [" + b + ", " + t + "] is " + v
                            + "; indices must be whole numbers from 0 to " + (vocabulary - 1));
                }
                indices[t * batch + b] = index;
            }
        }
        indexedInput = input;
    }

    @Override
    public INDArray activate(boolean training, LayerWorkspaceMgr workspaceMgr) {
        assertInputSet(false);
        readIndices();
        int width = (int) layerConf().getNOut();
        int vocabulary = (int) layerConf().getNIn();
        INDArray out = workspaceMgr.createUninitialized(ArrayType.ACTIVATIONS, DataType.FLOAT, new long[]{steps, batch, width}, 'c');
        ByteBuffer rows = NativeMemory.bytes(out);
        ByteBuffer w = NativeMemory.bytes(getParam(SequenceEmbeddingParams.W));
        ByteBuffer bias = layerConf().hasBias() ? NativeMemory.bytes(getParam(SequenceEmbeddingParams.B)) : null;
        int n = batch * steps;
        ByteBuffer table = rowMajor.ensure((long) vocabulary * width).bytes();
        Transpose.columnToRowMajor(w, vocabulary, width, table);
        for (int r = 0; r < n; r++) rows.put(4 * r * width, table, 4 * indices[r] * width, 4 * width);
        if (bias != null) {
            for (int r = 0; r < n; r++) for (int k = 0; k < width; k++) rows.putFloat(4 * (r * width + k), rows.getFloat(4 * (r * width + k)) + bias.getFloat(4 * k));
        }
        if (maskArray != null) applyMask(rows, width);
        INDArray ncw = out.permute(1, 2, 0);
        return layerConf().outputFormat() == RNNFormat.NWC ? ncw.permute(0, 2, 1) : ncw;
    }

    private void applyMask(ByteBuffer rows, int width) {
        INDArray m = maskArray.castTo(DataType.FLOAT);
        if (m.rank() != 2 || m.size(0) != batch || m.size(1) != steps) {
            throw new DL4JInvalidInputException("SequenceEmbedding " + layerId() + ": mask shape " + Arrays.toString(m.shape())
                    + " does not match [batch, length] = [" + batch + ", " + steps + "]");
        }
        ByteBuffer mb = NativeMemory.bytes(m);
        for (int t = 0; t < steps; t++) {
            for (int b = 0; b < batch; b++) {
                float v = mb.getFloat((int) (4 * (b * m.stride(0) + t * m.stride(1))));
                if (v == 1f) continue;
                int to = 4 * (t * batch + b) * width;
                for (int k = 0; k < width; k++) rows.putFloat(to + 4 * k, rows.getFloat(to + 4 * k) * v);
            }
        }
    }

    @Override
    public Pair<Gradient, INDArray> backpropGradient(INDArray epsilon, LayerWorkspaceMgr workspaceMgr) {
        assertInputSet(true);
        if (indexedInput != input) readIndices();
        int width = (int) layerConf().getNOut();
        int vocabulary = (int) layerConf().getNIn();
        INDArray eps = layerConf().outputFormat() == RNNFormat.NWC ? epsilon.permute(0, 2, 1) : epsilon;
        if (eps.rank() != 3 || eps.size(0) != batch || eps.size(1) != width || eps.size(2) != steps) {
            throw new DL4JInvalidInputException("SequenceEmbedding " + layerId() + ": output gradient shape " + Arrays.toString(epsilon.shape())
                    + " does not match the output");
        }
        if (eps.dataType() != DataType.FLOAT) eps = eps.castTo(DataType.FLOAT);
        INDArray mask = maskArray == null ? null : maskArray.castTo(DataType.FLOAT);
        INDArray gw = gradientViews.get(SequenceEmbeddingParams.W);
        ByteBuffer g = NativeMemory.bytes(gw);
        ByteBuffer e = NativeMemory.bytes(eps);
        ByteBuffer m = mask == null ? null : NativeMemory.bytes(mask);
        INDArray gb = layerConf().hasBias() ? gradientViews.get(SequenceEmbeddingParams.B) : null;
        if (gb != null) NativeMemory.zero(NativeMemory.address(gb), gb.length());
        ByteBuffer bias = gb == null ? null : NativeMemory.bytes(gb);
        long sb = eps.stride(0), sk = eps.stride(1), st = eps.stride(2);
        ByteBuffer sums = gradientRows.ensure((long) vocabulary * width).bytes();
        NativeMemory.zero(gradientRows.address(), (long) vocabulary * width);
        boolean rowsInPlace = sk == 1 && NativeMemory.hasStrides(eps, width, 1, (long) batch * width);
        for (int t = 0; t < steps; t++) {
            for (int b = 0; b < batch; b++) {
                float scale = m == null ? 1f : m.getFloat((int) (4 * (b * mask.stride(0) + t * mask.stride(1))));
                if (scale == 0f) continue;
                int to = 4 * indices[t * batch + b] * width;
                long from = b * sb + t * st;
                if (rowsInPlace && scale == 1f) {
                    VectorLoops.add(e, (int) (4 * from), sums, to, width);
                } else {
                    for (int k = 0; k < width; k++) sums.putFloat(to + 4 * k, sums.getFloat(to + 4 * k) + e.getFloat((int) (4 * (from + k * sk))) * scale);
                }
            }
        }
        Transpose.rowToColumnMajor(sums, vocabulary, width, g);
        if (bias != null) {
            for (int v = 0; v < vocabulary; v++) for (int k = 0; k < width; k++) bias.putFloat(4 * k, bias.getFloat(4 * k) + sums.getFloat(4 * (v * width + k)));
        }
        Gradient gradient = new DefaultGradient();
        gradient.gradientForVariable().put(SequenceEmbeddingParams.W, gw);
        if (gb != null) gradient.gradientForVariable().put(SequenceEmbeddingParams.B, gb);
        return new Pair<>(gradient, null);
    }

    @Override
    public boolean hasBias() { return layerConf().hasBias(); }

    @Override
    public boolean isPretrainLayer() { return false; }

    @Override
    public Type type() { return Type.RECURRENT; }

    @Override
    public void clear() {
        super.clear();
        indexedInput = null;
    }
}
