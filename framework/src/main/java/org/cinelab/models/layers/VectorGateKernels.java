package org.cinelab.models.layers;

import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorOperators;
import jdk.incubator.vector.VectorSpecies;

import java.nio.ByteBuffer;

/**
 * {@link GateKernels} with {@code jdk.incubator.vector}: whole SIMD registers of units per operation,
 * exp and tanh through the JDK's vector math intrinsics; the units past the last full vector go
 * through the scalar loop. Same formulas as {@link ScalarGateKernels}, in the same order.
 */
final class VectorGateKernels implements GateKernels {
    private static final VectorSpecies<Float> S = FloatVector.SPECIES_PREFERRED;
    private static final int L = S.length();

    private static FloatVector load(ByteBuffer b, int offset) {
        return FloatVector.fromByteBuffer(S, b, offset, NativeMemory.ORDER);
    }

    private static void store(FloatVector v, ByteBuffer b, int offset) {
        v.intoByteBuffer(b, offset, NativeMemory.ORDER);
    }

    private static FloatVector sigmoid(FloatVector x, FloatVector one) {
        return one.div(x.neg().lanewise(VectorOperators.EXP).add(one));
    }

    // Each step is split into two passes over the row with few operations each: one loop body with all of
    // them exceeded C2's inlining budget (NodeCountInliningCutoff), and the vectors were then boxed on the heap.

    @Override
    public void forward(int batch, int hidden, ByteBuffer z, int zOff, ByteBuffer bias, ByteBuffer cells, int cPrevOff, int cOff,
                        ByteBuffer tanhCells, int tcOff, ByteBuffer hiddenOut, int hOff, ByteBuffer mask, int maskOff) {
        int vectorUnits = hidden - hidden % L;
        for (int b = 0; b < batch; b++) {
            float m = mask == null ? 1f : mask.getFloat(maskOff + 4 * b);
            int zRow = zOff + 16 * hidden * b, hRow = 4 * hidden * b;
            activations(vectorUnits, hidden, z, zRow, bias);
            cellUpdate(vectorUnits, hidden, z, zRow, cells, cPrevOff + hRow, cOff + hRow, tanhCells, tcOff + hRow, hiddenOut, hOff + hRow, m);
            if (vectorUnits < hidden) {
                ScalarGateKernels.forwardRange(hidden, vectorUnits, hidden, z, zRow, bias, cells, cPrevOff + hRow, cOff + hRow,
                        tanhCells, tcOff + hRow, hiddenOut, hOff + hRow, m);
            }
        }
    }

    /** Pre-activations + bias -> tanh (block input) and sigmoid (gates), in place. */
    private static void activations(int vectorUnits, int hidden, ByteBuffer z, int zRow, ByteBuffer bias) {
        int block = 4 * hidden;
        FloatVector one = FloatVector.broadcast(S, 1f);
        for (int q = 0; q < 4 * vectorUnits; q += 4 * L) {
            store(load(z, zRow + q).add(load(bias, q)).lanewise(VectorOperators.TANH), z, zRow + q);
            store(sigmoid(load(z, zRow + block + q).add(load(bias, block + q)), one), z, zRow + block + q);
            store(sigmoid(load(z, zRow + 2 * block + q).add(load(bias, 2 * block + q)), one), z, zRow + 2 * block + q);
            store(sigmoid(load(z, zRow + 3 * block + q).add(load(bias, 3 * block + q)), one), z, zRow + 3 * block + q);
        }
    }

    /** c = f * c_prev + i * a, h = o * tanh(c), both times the mask value. */
    private static void cellUpdate(int vectorUnits, int hidden, ByteBuffer z, int zRow, ByteBuffer cells, int cPrevRow, int cRow,
                                   ByteBuffer tanhCells, int tcRow, ByteBuffer hiddenOut, int hRow, float m) {
        int block = 4 * hidden;
        FloatVector mv = FloatVector.broadcast(S, m);
        for (int q = 0; q < 4 * vectorUnits; q += 4 * L) {
            FloatVector c = load(z, zRow + block + q).mul(load(cells, cPrevRow + q)).add(load(z, zRow + 3 * block + q).mul(load(z, zRow + q)));
            FloatVector tc = c.lanewise(VectorOperators.TANH);
            store(c.mul(mv), cells, cRow + q);
            store(tc, tanhCells, tcRow + q);
            store(load(z, zRow + 2 * block + q).mul(tc).mul(mv), hiddenOut, hRow + q);
        }
    }

    @Override
    public void backward(int batch, int hidden, ByteBuffer z, int zOff, ByteBuffer tanhCells, int tcOff, ByteBuffer cells, int cPrevOff,
                         ByteBuffer dh, int dhOff, ByteBuffer carry, ByteBuffer mask, int maskOff) {
        int vectorUnits = hidden - hidden % L;
        for (int b = 0; b < batch; b++) {
            float m = mask == null ? 1f : mask.getFloat(maskOff + 4 * b);
            int zRow = zOff + 16 * hidden * b, hRow = 4 * hidden * b;
            cellGradient(vectorUnits, hidden, z, zRow, tanhCells, tcOff + hRow, dh, dhOff + hRow, carry, hRow, m);
            gateGradients(vectorUnits, hidden, z, zRow, cells, cPrevOff + hRow, carry, hRow);
            if (vectorUnits < hidden) {
                ScalarGateKernels.backwardRange(hidden, vectorUnits, hidden, z, zRow, tanhCells, tcOff + hRow, cells, cPrevOff + hRow,
                        dh, dhOff + hRow, carry, hRow, m);
            }
        }
    }

    /** dc = m dh o (1 - tanh(c)^2) + m carry, written over carry; dO = m dh tanh(c) o (1 - o), written over o. */
    private static void cellGradient(int vectorUnits, int hidden, ByteBuffer z, int zRow, ByteBuffer tanhCells, int tcRow,
                                     ByteBuffer dh, int dhRow, ByteBuffer carry, int carryRow, float m) {
        int block = 4 * hidden;
        FloatVector one = FloatVector.broadcast(S, 1f), mv = FloatVector.broadcast(S, m);
        for (int q = 0; q < 4 * vectorUnits; q += 4 * L) {
            FloatVector o = load(z, zRow + 2 * block + q), tc = load(tanhCells, tcRow + q);
            FloatVector g = load(dh, dhRow + q).mul(mv);
            store(g.mul(o).mul(one.sub(tc.mul(tc))).add(load(carry, carryRow + q).mul(mv)), carry, carryRow + q);
            store(g.mul(tc).mul(o).mul(one.sub(o)), z, zRow + 2 * block + q);
        }
    }

    /** From dc (in carry): dA, dF, dI over a, f, i; then carry = dc f for the step before. */
    private static void gateGradients(int vectorUnits, int hidden, ByteBuffer z, int zRow, ByteBuffer cells, int cPrevRow,
                                      ByteBuffer carry, int carryRow) {
        int block = 4 * hidden;
        FloatVector one = FloatVector.broadcast(S, 1f);
        for (int q = 0; q < 4 * vectorUnits; q += 4 * L) {
            FloatVector dc = load(carry, carryRow + q);
            FloatVector a = load(z, zRow + q), f = load(z, zRow + block + q), i = load(z, zRow + 3 * block + q);
            store(dc.mul(i).mul(one.sub(a.mul(a))), z, zRow + q);
            store(dc.mul(load(cells, cPrevRow + q)).mul(f).mul(one.sub(f)), z, zRow + block + q);
            store(dc.mul(a).mul(i).mul(one.sub(i)), z, zRow + 3 * block + q);
            store(dc.mul(f), carry, carryRow + q);
        }
    }
}
