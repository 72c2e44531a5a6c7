package org.cinelab.models.dl4j;

import org.bytedeco.javacpp.FloatPointer;

import java.nio.FloatBuffer;
import java.util.Arrays;
import java.util.List;

import static org.cinelab.models.layers.SplitGemm.NO_TRANS;
import static org.cinelab.models.layers.SplitGemm.TRANS;
import static org.cinelab.models.layers.SplitGemm.gemm;

/**
 * DCN's cross network ({@link TowerLayout.Cross}) trained on buffers allocated once, as the
 * recommenders' DL4J layer computes it: {@code p_l = x_l W_l + b_l} (low rank: {@code x_l V_l U_l + b_l}),
 * {@code x_{l+1} = x0 ⊙ p_l + x_l}; backward from {@code g = dLoss/dx_{l+1}}:
 * {@code dp = g ⊙ x0}, {@code dW_l = x_lᵀ dp}, {@code db_l = Σ_rows dp}, {@code dLoss/dx_l = g + dp W_lᵀ},
 * and {@code dLoss/dx0} collects {@code g ⊙ p_l} from every layer plus the gradient reaching
 * {@code x_0} itself. Per layer one forward and three backward {@code sgemm} (low rank two and
 * five, through {@code h = x_l V_l}); the element-wise work runs in Java loops over heap chunks,
 * as in {@link DenseStack}; each layer is updated ({@link DenseUpdater}) once backprop no longer
 * needs its weights. Cross layers have no dropout ({@link TowerLayout} refuses it).
 */
final class CrossStage extends InPlaceStage {
    private final TowerLayout.Cross cross;
    private final int width, rank;
    /** x[0] is x0 and x[layers] the output (the caller's buffers), x[l] the input of cross layer l. */
    private final FloatPointer[] xPtr;
    private final FloatBuffer[] x;
    /** p[l] = x_l W_l + b_l, kept for backprop (dLoss/dx0 collects g ⊙ p_l). */
    private final FloatPointer[] pPtr;
    private final FloatBuffer[] p;
    /** Low rank: h[l] = x_l V_l, else null. */
    private final FloatPointer[] hPtr;
    /** dLoss/dx_l, updated in place from the top layer down; dLoss/dp_l; low rank dLoss/dh_l. */
    private final FloatPointer gPtr, dpPtr, dhPtr;
    private final FloatBuffer g, dp;
    /** Heap chunks of whole rows for the element-wise loops, and one row of biases or bias gradients. */
    private final float[] a, b, c, d, bias;
    private final int rowsPerChunk;

    /**
     * @param input  x0, {@code [batch, width]}, which the caller fills before {@link #forward}
     * @param output the {@code [batch, width]} buffer the last cross layer writes
     */
    CrossStage(TowerLayout.Cross cross, DenseUpdater updater, FloatPointer paramsPtr, FloatPointer gradsPtr, FloatBuffer state,
               int maxBatch, FloatPointer input, FloatPointer output) {
        super(updater, paramsPtr, gradsPtr, state);
        this.cross = cross;
        this.width = cross.width();
        this.rank = cross.rank();
        int n = cross.layers().size();
        long rows = (long) maxBatch * width;
        xPtr = new FloatPointer[n + 1];
        x = new FloatBuffer[n + 1];
        xPtr[0] = input;
        for (int l = 1; l < n; l++) xPtr[l] = Nd4jBuffers.allocate(rows);
        xPtr[n] = output;
        pPtr = new FloatPointer[n];
        p = new FloatBuffer[n];
        hPtr = new FloatPointer[n];
        for (int l = 0; l < n; l++) {
            pPtr[l] = Nd4jBuffers.allocate(rows);
            p[l] = pPtr[l].asBuffer();
            if (rank > 0) hPtr[l] = Nd4jBuffers.allocate((long) maxBatch * rank);
        }
        for (int l = 0; l <= n; l++) x[l] = xPtr[l].asBuffer();
        gPtr = Nd4jBuffers.allocate(rows);
        g = gPtr.asBuffer();
        dpPtr = Nd4jBuffers.allocate(rows);
        dp = dpPtr.asBuffer();
        dhPtr = rank > 0 ? Nd4jBuffers.allocate((long) maxBatch * rank) : null;
        rowsPerChunk = Math.max(1, DenseStack.CHUNK / width);
        int chunk = rowsPerChunk * width;
        a = new float[chunk];
        b = new float[chunk];
        c = new float[chunk];
        d = new float[chunk];
        bias = new float[width];
    }

    /** Where the caller puts dLoss/d(output) before {@link #backwardAndUpdate} (e.g. the head's input delta). */
    FloatPointer outputDeltaPointer() { return gPtr; }

    FloatBuffer outputDelta() { return g; }

    void forward(int batch) {
        List<TowerLayout.CrossLayer> layers = cross.layers();
        for (int l = 0; l < layers.size(); l++) {
            TowerLayout.CrossLayer layer = layers.get(l);
            // DL4J's [in, out] column-major matrices are their transposes row-major
            if (rank == 0) {
                gemm(NO_TRANS, TRANS, batch, width, width, xPtr[l], 0, width, paramsPtr, layer.weight(), width, pPtr[l], 0, width);
            } else {
                gemm(NO_TRANS, TRANS, batch, rank, width, xPtr[l], 0, width, paramsPtr, layer.weight(), width, hPtr[l], 0, rank);
                gemm(NO_TRANS, TRANS, batch, width, rank, hPtr[l], 0, rank, paramsPtr, layer.up(), rank, pPtr[l], 0, width);
            }
            params.get((int) layer.bias(), bias, 0, width);
            for (int r0 = 0; r0 < batch; r0 += rowsPerChunk) {
                int at = r0 * width, len = Math.min(rowsPerChunk, batch - r0) * width;
                p[l].get(at, a, 0, len);
                x[0].get(at, b, 0, len);
                x[l].get(at, c, 0, len);
                for (int r = 0; r < len; r += width) {
                    for (int j = 0; j < width; j++) a[r + j] += bias[j];
                }
                for (int i = 0; i < len; i++) d[i] = b[i] * a[i] + c[i];
                p[l].put(at, a, 0, len);
                x[l + 1].put(at, d, 0, len);
            }
        }
    }

    /**
     * Backprop from {@link #outputDeltaPointer()} down to dLoss/dx0, written to {@code inputDelta}
     * ({@code [batch, width]}; added to what it holds when {@code add}, else replacing it), each
     * cross layer's parameters updated once its weights have served (every gradient is still that
     * of the parameters before the step).
     */
    void backwardAndUpdate(int batch, int iteration, int epoch, FloatBuffer inputDelta, boolean add) {
        List<TowerLayout.CrossLayer> layers = cross.layers();
        for (int l = layers.size() - 1; l >= 0; l--) {
            TowerLayout.CrossLayer layer = layers.get(l);
            productGradients(l, batch, inputDelta, !add && l == layers.size() - 1);
            if (rank == 0) {
                // dW (column-major [in, out]) = x_lᵀ dp, i.e. dWᵀ = dpᵀ x_l row-major; then g += dp W_lᵀ
                gemm(TRANS, NO_TRANS, width, width, batch, dpPtr, 0, width, xPtr[l], 0, width, gradsPtr, layer.weight(), width);
                gemm(NO_TRANS, NO_TRANS, batch, width, width, 1f, dpPtr, 0, width, paramsPtr, layer.weight(), width, 1f, gPtr, 0, width);
            } else {
                // dU = h_lᵀ dp, dh = dp U_lᵀ, dV = x_lᵀ dh, g += dh V_lᵀ (transposed as above)
                gemm(TRANS, NO_TRANS, width, rank, batch, dpPtr, 0, width, hPtr[l], 0, rank, gradsPtr, layer.up(), rank);
                gemm(NO_TRANS, NO_TRANS, batch, rank, width, dpPtr, 0, width, paramsPtr, layer.up(), rank, dhPtr, 0, rank);
                gemm(TRANS, NO_TRANS, rank, width, batch, dhPtr, 0, rank, xPtr[l], 0, width, gradsPtr, layer.weight(), width);
                gemm(NO_TRANS, NO_TRANS, batch, width, rank, 1f, dhPtr, 0, rank, paramsPtr, layer.weight(), width, 1f, gPtr, 0, width);
            }
            updater.apply(layer.weight(), layer.bias() + width, params, grads, state, null, batch, iteration, epoch);
        }
        // the gradient reaching x_0 through the layers' x_l terms
        for (int at = 0, n = batch * width; at < n; at += a.length) {
            int len = Math.min(a.length, n - at);
            g.get(at, a, 0, len);
            inputDelta.get(at, d, 0, len);
            for (int i = 0; i < len; i++) d[i] += a[i];
            inputDelta.put(at, d, 0, len);
        }
    }

    /** Layer l's {@code dp = g ⊙ x0} and bias gradient, and {@code g ⊙ p_l} added to dLoss/dx0 (or, {@code first}, set). */
    private void productGradients(int l, int batch, FloatBuffer inputDelta, boolean first) {
        Arrays.fill(bias, 0f);
        for (int r0 = 0; r0 < batch; r0 += rowsPerChunk) {
            int at = r0 * width, len = Math.min(rowsPerChunk, batch - r0) * width;
            g.get(at, a, 0, len);
            x[0].get(at, b, 0, len);
            p[l].get(at, c, 0, len);
            if (first) {
                for (int i = 0; i < len; i++) d[i] = a[i] * c[i];
            } else {
                inputDelta.get(at, d, 0, len);
                for (int i = 0; i < len; i++) d[i] += a[i] * c[i];
            }
            for (int i = 0; i < len; i++) b[i] *= a[i];
            for (int r = 0; r < len; r += width) {
                for (int j = 0; j < width; j++) bias[j] += b[r + j];
            }
            dp.put(at, b, 0, len);
            inputDelta.put(at, d, 0, len);
        }
        grads.put((int) cross.layers().get(l).bias(), bias, 0, width);
    }
}
