package org.cinelab.models.layers;

import org.nd4j.linalg.api.ndarray.INDArray;

import java.nio.ByteBuffer;
import java.nio.FloatBuffer;

/**
 * The arithmetic of {@link FusedLstmLayer}, free of DL4J: one LSTM layer over a minibatch of
 * {@code batch} sequences of {@code steps} steps, on float buffers it owns (grown to the largest
 * minibatch, then reused). Sequences are stored time-major: row {@code t * batch + b} holds step t of
 * example b, so a step is a contiguous [batch, width] block and all steps together one [steps * batch,
 * width] matrix.
 *
 * <p>Forward: the input projection of all steps is one GEMM ([T*B, nIn] x [nIn, 4H]); then per step one
 * [B, H] x [H, 4H] GEMM adds the recurrent term and {@link GateKernels#forward} does the rest in one
 * pass. Backward: per step the fused gate derivatives and one [B, 4H] x [4H, H] GEMM for the gradient
 * reaching h_{t-1}; the weight, bias and input gradients are then four large products over all steps.
 * Weights are read in DL4J's LSTM layout (column-major W [nIn, 4H] and RW [H, 4H], b [4H]).
 *
 * <p>On more than one thread the recurrence is split by batch rows ({@link SplitGemm#splitRows}): a
 * row's steps depend on no other row, so each lane runs every step for its rows, its products on its
 * own thread, with one hand-over per pass instead of one per step. The large products before and after
 * are split as the dense trainers' are.
 */
public final class LstmKernel {
    /** Addresses of W, RW and b (or of their gradients), in DL4J's layout. */
    public record Weights(long w, long rw, long b) {}

    /** Row blocks of the split recurrence are multiples of this (OpenBLAS's kernels work in such tiles). */
    private static final int ROW_ALIGN = 16;

    private final int inputSize;
    private final int hidden;
    private final RowMajorBlas blas = new RowMajorBlas();
    /** Per lane of the split recurrence: gate loops, product pointers and the backward carry (of its rows, from 0). */
    private GateKernels[] gates;
    private RowMajorBlas[] laneBlas;
    private NativeFloats[] carry;
    private final java.util.function.Supplier<GateKernels> newGates;
    private final SplitLoop.Body forwardRows = this::forwardRows, backwardRows = this::backwardRows;
    /** The weights of the pass being computed, for the lanes. */
    private Weights passWeights;

    private final NativeFloats inputs = new NativeFloats();
    private final NativeFloats gatesBuffer = new NativeFloats();
    private final NativeFloats cells = new NativeFloats();
    private final NativeFloats tanhCells = new NativeFloats();
    private final NativeFloats hiddens = new NativeFloats();
    private final NativeFloats hiddenGradients = new NativeFloats();
    private final NativeFloats maskBuffer = new NativeFloats();
    private final NativeFloats bias = new NativeFloats();
    private final NativeFloats ones = new NativeFloats();

    private int batch;
    private int steps;
    private boolean masked;
    private boolean initialState;
    private long inputAddress;

    /** @param newGates makes one lane's gate loops (they are not thread-safe) */
    LstmKernel(int inputSize, int hidden, java.util.function.Supplier<GateKernels> newGates) {
        this.inputSize = inputSize;
        this.hidden = hidden;
        this.newGates = newGates;
        lanes(1);
    }

    /** A kernel with the fastest gate loops this JVM offers (as {@link FusedLstm} layers use). */
    public static LstmKernel create(int inputSize, int hidden) {
        return new LstmKernel(inputSize, hidden, GateKernels::fastest);
    }

    /** Grows the per-lane state to {@code count} lanes. */
    private void lanes(int count) {
        if (gates != null && gates.length >= count) return;
        int had = gates == null ? 0 : gates.length;
        gates = gates == null ? new GateKernels[count] : java.util.Arrays.copyOf(gates, count);
        laneBlas = laneBlas == null ? new RowMajorBlas[count] : java.util.Arrays.copyOf(laneBlas, count);
        carry = carry == null ? new NativeFloats[count] : java.util.Arrays.copyOf(carry, count);
        for (int i = had; i < count; i++) {
            gates[i] = newGates.get();
            laneBlas[i] = new RowMajorBlas();
            carry[i] = new NativeFloats();
        }
    }

    public int inputSize() { return inputSize; }

    public int hidden() { return hidden; }

    /**
     * Sizes the buffers for a minibatch and resets the initial state to zero. Fill the input
     * ({@link #inputRows()} or an address to {@link #forward}), the mask and the initial state after this.
     */
    public void prepare(int batch, int steps, boolean masked) {
        long rows = (long) batch * steps;
        long g = 4L * hidden;
        if (rows * g > Integer.MAX_VALUE / Float.BYTES) {
            throw new IllegalArgumentException("an LSTM minibatch of " + batch + " sequences x " + steps + " steps x " + g
                    + " gate values exceeds the 2 GB working buffer: use smaller minibatches");
        }
        this.batch = batch;
        this.steps = steps;
        this.masked = masked;
        this.initialState = false;
        gatesBuffer.ensure(rows * g);
        cells.ensure((rows + batch) * hidden);
        hiddens.ensure((rows + batch) * hidden);
        tanhCells.ensure(rows * hidden);
        lanes(SplitLoop.lanes(SplitGemm.threads()));
        for (NativeFloats c : carry) c.ensure((long) batch * hidden);
        bias.ensure(g);
        if (masked) maskBuffer.ensure(rows);
        cells.fill(0, (long) batch * hidden, 0f);
        hiddens.fill(0, (long) batch * hidden, 0f);
    }

    /** Own input buffer as [steps, batch, nIn], when the caller's input cannot be read in place. */
    NativeFloats inputRows() {
        return inputs.ensure((long) batch * steps * inputSize);
    }

    long inputRowsAddress() { return inputs.address(); }

    /** Mask values, time-major (one float per step and example). */
    ByteBuffer maskRows() { return maskBuffer.bytes(); }

    /** The initial h and c ([batch, hidden] each, zero unless written) for a stateful forward pass. */
    INDArray initialHidden() {
        initialState = true;
        return hiddens.view(batch, hidden);
    }

    INDArray initialCell() {
        initialState = true;
        return cells.view(batch, hidden);
    }

    /** Address of h_t for t in [0, steps): rows [batch, hidden]; all steps are contiguous from t = 0. */
    public long hiddenAddress(int t) { return hiddens.address((long) (t + 1) * batch * hidden); }

    long cellAddress(int t) { return cells.address((long) (t + 1) * batch * hidden); }

    /** Gradient reaching each h_t, time-major [steps, batch, hidden], to be written before {@link #backward}. */
    NativeFloats hiddenGradientRows() {
        return hiddenGradients.ensure((long) batch * steps * hidden);
    }

    /** Address of {@link #hiddenGradientRows()}. */
    public long hiddenGradientAddress() { return hiddenGradientRows().address(); }

    /**
     * The hidden-state memory as floats, valid until a {@link #prepare} for a larger minibatch:
     * h_t of example b at {@code ((t + 1) * batch + b) * hidden} (block 0 is the initial state).
     */
    public FloatBuffer hiddenFloats() { return hiddens.bytes().asFloatBuffer(); }

    /** {@link #hiddenGradientRows()} as floats (same validity): step t of example b at {@code (t * batch + b) * hidden}. */
    public FloatBuffer hiddenGradientFloats() { return hiddenGradientRows().bytes().asFloatBuffer(); }

    /**
     * Forward pass over the prepared minibatch.
     *
     * @param inputAddress rows [steps * batch, nIn] (the caller's array, or {@link #inputRowsAddress()})
     */
    public void forward(long inputAddress, Weights w) {
        this.inputAddress = inputAddress;
        int g = 4 * hidden;
        int rows = batch * steps;
        NativeMemory.copy(w.b(), bias.address(), g);
        blas.gemm(false, true, rows, g, inputSize, 1f, inputAddress, inputSize, w.w(), inputSize, 0f, gatesBuffer.address(), g);
        passWeights = w;
        SplitGemm.splitRows(batch, ROW_ALIGN, (long) rows * g, forwardRows);
    }

    /** The forward recurrence of batch rows {@code [from, to)}, every step, on lane {@code lane}. */
    private void forwardRows(int lane, int from, int to) {
        int g = 4 * hidden, rowsHere = to - from;
        ByteBuffer z = gatesBuffer.bytes();
        GateKernels gates = this.gates[lane];
        RowMajorBlas blas = laneBlas[lane];
        for (int t = 0; t < steps; t++) {
            long row = (long) t * batch + from; // this lane's first row of step t
            if (t > 0 || initialState) {
                blas.gemmOnThisThread(false, true, rowsHere, g, hidden, 1f, hiddens.address(row * hidden), hidden,
                        passWeights.rw(), hidden, 1f, gatesBuffer.address(row * g), g);
            }
            int hBlock = (int) (4 * row * hidden);
            gates.forward(rowsHere, hidden, z, (int) (4 * row * g), bias.bytes(), cells.bytes(), hBlock, hBlock + 4 * batch * hidden,
                    tanhCells.bytes(), hBlock, hiddens.bytes(), hBlock + 4 * batch * hidden,
                    masked ? maskBuffer.bytes() : null, (int) (4 * row));
        }
    }

    /**
     * Backward pass after {@link #forward} and with {@link #hiddenGradientRows()} filled: writes the
     * gradients of W, RW and b (overwriting them) and the input gradient rows [steps * batch, nIn] at
     * {@code inputGradientAddress}. The forward activations are consumed.
     */
    public void backward(Weights w, Weights gradients, long inputGradientAddress) {
        int g = 4 * hidden;
        int rows = batch * steps;
        passWeights = w;
        SplitGemm.splitRows(batch, ROW_ALIGN, (long) rows * g, backwardRows);
        blas.gemm(true, false, g, inputSize, rows, 1f, gatesBuffer.address(), g, inputAddress, inputSize, 0f, gradients.w(), inputSize);
        blas.gemm(true, false, g, hidden, rows, 1f, gatesBuffer.address(), g, hiddens.address(), hidden, 0f, gradients.rw(), hidden);
        if (ones.capacity() < rows) {
            ones.ensure(rows);
            ones.fill(0, ones.capacity(), 1f);
        }
        blas.gemvTransposed(rows, g, gatesBuffer.address(), g, ones.address(), 0f, gradients.b());
        blas.gemm(false, false, rows, inputSize, g, 1f, gatesBuffer.address(), g, w.w(), inputSize, 0f, inputGradientAddress, inputSize);
    }

    /** The backward recurrence of batch rows {@code [from, to)}, every step from the last, on lane {@code lane}. */
    private void backwardRows(int lane, int from, int to) {
        int g = 4 * hidden, rowsHere = to - from;
        ByteBuffer z = gatesBuffer.bytes();
        GateKernels gates = this.gates[lane];
        RowMajorBlas blas = laneBlas[lane];
        NativeFloats carry = this.carry[lane]; // this lane's rows from 0
        carry.fill(0, (long) rowsHere * hidden, 0f);
        for (int t = steps - 1; t >= 0; t--) {
            long row = (long) t * batch + from;
            int hBlock = (int) (4 * row * hidden);
            gates.backward(rowsHere, hidden, z, (int) (4 * row * g), tanhCells.bytes(), hBlock, cells.bytes(), hBlock,
                    hiddenGradients.bytes(), hBlock, carry.bytes(), masked ? maskBuffer.bytes() : null, (int) (4 * row));
            if (t > 0) {
                blas.gemmOnThisThread(false, false, rowsHere, hidden, g, 1f, gatesBuffer.address(row * g), g, passWeights.rw(), hidden,
                        1f, hiddenGradients.address((row - batch) * hidden), hidden);
            }
        }
    }
}
