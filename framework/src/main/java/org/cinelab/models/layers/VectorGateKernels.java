package org.cinelab.models.layers;

import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.IntVector;
import jdk.incubator.vector.VectorOperators;
import jdk.incubator.vector.VectorSpecies;

import java.nio.ByteBuffer;

/**
 * {@link GateKernels} with {@code jdk.incubator.vector}: whole SIMD registers of units per operation,
 * exp and tanh as in {@link GateMath} (not the JDK's vector EXP/TANH, whose bits depend on whether
 * the JIT has compiled the loop yet); the units past the last whole vector go through the scalar
 * loops. Same operations as {@link ScalarGateKernels}, in the same order, so the same bits.
 */
final class VectorGateKernels implements GateKernels {
    private static final VectorSpecies<Float> S = FloatVector.SPECIES_PREFERRED;
    private static final int L = S.length();
    /** Integer lanes of the same shape, for the exponent bits of 2^n. */
    private static final VectorSpecies<Integer> I = IntVector.SPECIES_PREFERRED;

    private static FloatVector load(ByteBuffer b, int offset) {
        return FloatVector.fromByteBuffer(S, b, offset, NativeMemory.ORDER);
    }

    private static void store(FloatVector v, ByteBuffer b, int offset) {
        v.intoByteBuffer(b, offset, NativeMemory.ORDER);
    }

    private static FloatVector c(float value) {
        return FloatVector.broadcast(S, value);
    }

    /** {@link GateMath#exp}, lane-wise, the same operations in the same order. */
    static FloatVector exp(FloatVector x) {
        // clamped by compare and blend, not max and min (several instructions each in Java's semantics): same values, NaN kept
        x = x.blend(GateMath.EXP_MIN, x.lt(GateMath.EXP_MIN)).blend(GateMath.EXP_MAX, x.compare(VectorOperators.GT, GateMath.EXP_MAX));
        FloatVector t = x.mul(GateMath.LOG2E).add(GateMath.ROUND);
        FloatVector n = t.sub(GateMath.ROUND);
        FloatVector r = n.fma(c(-GateMath.LN2_HI), x);
        r = n.fma(c(-GateMath.LN2_LO), r);
        FloatVector p = r.fma(GateMath.P0, GateMath.P1).fma(r, c(GateMath.P2)).fma(r, c(GateMath.P3)).fma(r, c(GateMath.P4)).fma(r, c(GateMath.P5));
        FloatVector e = p.fma(r.mul(r), r).add(1f);
        IntVector bits = (IntVector) t.reinterpretShape(I, 0);
        return e.mul((FloatVector) bits.add(127).lanewise(VectorOperators.LSHL, 23).reinterpretShape(S, 0));
    }

    private static FloatVector sigmoid(FloatVector x) {
        return FloatVector.broadcast(S, 1f).div(exp(x.neg()).add(1f));
    }

    private static FloatVector tanh(FloatVector x) {
        x = x.blend(-GateMath.TANH_CLAMP, x.lt(-GateMath.TANH_CLAMP)).blend(GateMath.TANH_CLAMP, x.compare(VectorOperators.GT, GateMath.TANH_CLAMP));
        FloatVector z = x.mul(x);
        FloatVector p = z.fma(GateMath.A13, GateMath.A11).fma(z, c(GateMath.A9)).fma(z, c(GateMath.A7)).fma(z, c(GateMath.A5))
                .fma(z, c(GateMath.A3)).fma(z, c(GateMath.A1)).mul(x);
        FloatVector q = z.fma(GateMath.B6, GateMath.B4).fma(z, c(GateMath.B2)).fma(z, c(GateMath.B0));
        return p.div(q);
    }

    // A step is several passes over the batch, each with few vector operations and its own loop. They are
    // called through one megamorphic call site, so that C2 compiles each pass on its own: inlined into one
    // caller they exceeded its inlining budget (NodeCountInliningCutoff), vector helpers were left out of
    // line, and their vectors were boxed on the heap.

    /** The arguments of the step being computed; one per kernel instance, so that calls allocate nothing. */
    private static final class Step {
        int batch, hidden;
        ByteBuffer z, bias, cells, tanhCells, hiddenOut, dh, carry, mask;
        int zOff, cPrevOff, cOff, tcOff, hOff, dhOff, maskOff;

        float mask(int b) {
            return mask == null ? 1f : mask.getFloat(maskOff + 4 * b);
        }
    }

    private abstract static class Pass {
        abstract void run(Step s);
    }

    private static final Pass[] FORWARD = {new BlockInputs(), new Gates(), new Cells(), new Outputs()};
    private static final Pass[] BACKWARD = {new CellGradients(), new GateGradients()};

    private final Step step = new Step();

    private void run(Pass[] passes) {
        for (Pass p : passes) p.run(step);
    }

    @Override
    public void forward(int batch, int hidden, ByteBuffer z, int zOff, ByteBuffer bias, ByteBuffer cells, int cPrevOff, int cOff,
                        ByteBuffer tanhCells, int tcOff, ByteBuffer hiddenOut, int hOff, ByteBuffer mask, int maskOff) {
        Step s = step;
        s.batch = batch;
        s.hidden = hidden;
        s.z = z;
        s.zOff = zOff;
        s.bias = bias;
        s.cells = cells;
        s.cPrevOff = cPrevOff;
        s.cOff = cOff;
        s.tanhCells = tanhCells;
        s.tcOff = tcOff;
        s.hiddenOut = hiddenOut;
        s.hOff = hOff;
        s.mask = mask;
        s.maskOff = maskOff;
        run(FORWARD);
    }

    @Override
    public void backward(int batch, int hidden, ByteBuffer z, int zOff, ByteBuffer tanhCells, int tcOff, ByteBuffer cells, int cPrevOff,
                         ByteBuffer dh, int dhOff, ByteBuffer carry, ByteBuffer mask, int maskOff) {
        Step s = step;
        s.batch = batch;
        s.hidden = hidden;
        s.z = z;
        s.zOff = zOff;
        s.tanhCells = tanhCells;
        s.tcOff = tcOff;
        s.cells = cells;
        s.cPrevOff = cPrevOff;
        s.dh = dh;
        s.dhOff = dhOff;
        s.carry = carry;
        s.mask = mask;
        s.maskOff = maskOff;
        run(BACKWARD);
    }

    /** a = tanh(z + b) over units [0, hidden) of every row. */
    private static final class BlockInputs extends Pass {
        @Override
        void run(Step s) {
            ByteBuffer z = s.z, bias = s.bias;
            int hidden = s.hidden, whole = hidden - hidden % L;
            for (int b = 0; b < s.batch; b++) {
                int zRow = s.zOff + 16 * hidden * b;
                for (int q = 0; q < 4 * whole; q += 4 * L) store(tanh(load(z, zRow + q).add(load(bias, q))), z, zRow + q);
                for (int j = whole; j < hidden; j++) z.putFloat(zRow + 4 * j, GateMath.tanh(z.getFloat(zRow + 4 * j) + bias.getFloat(4 * j)));
            }
        }
    }

    /** f, o, i = sigmoid(z + b) over [hidden, 4 hidden) of every row: the three gate blocks are adjacent. */
    private static final class Gates extends Pass {
        @Override
        void run(Step s) {
            ByteBuffer z = s.z, bias = s.bias;
            int hidden = s.hidden, whole = hidden + 3 * hidden - (3 * hidden) % L;
            for (int b = 0; b < s.batch; b++) {
                int zRow = s.zOff + 16 * hidden * b;
                for (int q = 4 * hidden; q < 4 * whole; q += 4 * L) store(sigmoid(load(z, zRow + q).add(load(bias, q))), z, zRow + q);
                for (int j = whole; j < 4 * hidden; j++) {
                    z.putFloat(zRow + 4 * j, GateMath.sigmoid(z.getFloat(zRow + 4 * j) + bias.getFloat(4 * j)));
                }
            }
        }
    }

    /** c = f * c_prev + i * a: times the mask into cells, as is into tanhCells (made tanh(c) by {@link Outputs}). */
    private static final class Cells extends Pass {
        @Override
        void run(Step s) {
            ByteBuffer z = s.z, cells = s.cells, tanhCells = s.tanhCells;
            int hidden = s.hidden, whole = hidden - hidden % L, block = 4 * hidden;
            for (int b = 0; b < s.batch; b++) {
                float m = s.mask(b);
                FloatVector mv = FloatVector.broadcast(S, m);
                int zRow = s.zOff + 4 * block * b, hRow = 4 * hidden * b;
                int cPrev = s.cPrevOff + hRow, c0 = s.cOff + hRow, tc0 = s.tcOff + hRow;
                for (int q = 0; q < 4 * whole; q += 4 * L) {
                    FloatVector c = load(z, zRow + block + q).mul(load(cells, cPrev + q)).add(load(z, zRow + 3 * block + q).mul(load(z, zRow + q)));
                    store(c.mul(mv), cells, c0 + q);
                    store(c, tanhCells, tc0 + q);
                }
                for (int q = 4 * whole; q < 4 * hidden; q += 4) {
                    float c = z.getFloat(zRow + block + q) * cells.getFloat(cPrev + q) + z.getFloat(zRow + 3 * block + q) * z.getFloat(zRow + q);
                    cells.putFloat(c0 + q, c * m);
                    tanhCells.putFloat(tc0 + q, c);
                }
            }
        }
    }

    /** tanh(c) in place, and h = o * tanh(c) * mask. */
    private static final class Outputs extends Pass {
        @Override
        void run(Step s) {
            ByteBuffer z = s.z, tanhCells = s.tanhCells, out = s.hiddenOut;
            int hidden = s.hidden, whole = hidden - hidden % L, block = 4 * hidden;
            for (int b = 0; b < s.batch; b++) {
                float m = s.mask(b);
                FloatVector mv = FloatVector.broadcast(S, m);
                int zRow = s.zOff + 4 * block * b, hRow = 4 * hidden * b, tc0 = s.tcOff + hRow, h0 = s.hOff + hRow;
                for (int q = 0; q < 4 * whole; q += 4 * L) {
                    FloatVector tc = tanh(load(tanhCells, tc0 + q));
                    store(tc, tanhCells, tc0 + q);
                    store(load(z, zRow + 2 * block + q).mul(tc).mul(mv), out, h0 + q);
                }
                for (int q = 4 * whole; q < 4 * hidden; q += 4) {
                    float tc = GateMath.tanh(tanhCells.getFloat(tc0 + q));
                    tanhCells.putFloat(tc0 + q, tc);
                    out.putFloat(h0 + q, z.getFloat(zRow + 2 * block + q) * tc * m);
                }
            }
        }
    }

    /** dc = m dh o (1 - tanh(c)^2) + m carry, written over carry; dO = m dh tanh(c) o (1 - o), written over o. */
    private static final class CellGradients extends Pass {
        @Override
        void run(Step s) {
            ByteBuffer z = s.z, tanhCells = s.tanhCells, dh = s.dh, carry = s.carry;
            int hidden = s.hidden, whole = hidden - hidden % L, block = 4 * hidden;
            FloatVector one = FloatVector.broadcast(S, 1f);
            for (int b = 0; b < s.batch; b++) {
                float m = s.mask(b);
                FloatVector mv = FloatVector.broadcast(S, m);
                int zRow = s.zOff + 4 * block * b, hRow = 4 * hidden * b, tc0 = s.tcOff + hRow, dh0 = s.dhOff + hRow;
                for (int q = 0; q < 4 * whole; q += 4 * L) {
                    FloatVector o = load(z, zRow + 2 * block + q), tc = load(tanhCells, tc0 + q);
                    FloatVector g = load(dh, dh0 + q).mul(mv);
                    store(g.mul(o).mul(one.sub(tc.mul(tc))).add(load(carry, hRow + q).mul(mv)), carry, hRow + q);
                    store(g.mul(tc).mul(o).mul(one.sub(o)), z, zRow + 2 * block + q);
                }
                for (int q = 4 * whole; q < 4 * hidden; q += 4) {
                    float o = z.getFloat(zRow + 2 * block + q), tc = tanhCells.getFloat(tc0 + q);
                    float g = dh.getFloat(dh0 + q) * m;
                    carry.putFloat(hRow + q, g * o * (1 - tc * tc) + carry.getFloat(hRow + q) * m);
                    z.putFloat(zRow + 2 * block + q, g * tc * o * (1 - o));
                }
            }
        }
    }

    /** From dc (in carry): dA, dF, dI over a, f, i; then carry = dc f for the step before. */
    private static final class GateGradients extends Pass {
        @Override
        void run(Step s) {
            ByteBuffer z = s.z, cells = s.cells, carry = s.carry;
            int hidden = s.hidden, whole = hidden - hidden % L, block = 4 * hidden;
            FloatVector one = FloatVector.broadcast(S, 1f);
            for (int b = 0; b < s.batch; b++) {
                int zRow = s.zOff + 4 * block * b, hRow = 4 * hidden * b, cPrev = s.cPrevOff + hRow;
                for (int q = 0; q < 4 * whole; q += 4 * L) {
                    FloatVector dc = load(carry, hRow + q);
                    FloatVector a = load(z, zRow + q), f = load(z, zRow + block + q), i = load(z, zRow + 3 * block + q);
                    store(dc.mul(i).mul(one.sub(a.mul(a))), z, zRow + q);
                    store(dc.mul(load(cells, cPrev + q)).mul(f).mul(one.sub(f)), z, zRow + block + q);
                    store(dc.mul(a).mul(i).mul(one.sub(i)), z, zRow + 3 * block + q);
                    store(dc.mul(f), carry, hRow + q);
                }
                for (int q = 4 * whole; q < 4 * hidden; q += 4) {
                    float dc = carry.getFloat(hRow + q);
                    float a = z.getFloat(zRow + q), f = z.getFloat(zRow + block + q), i = z.getFloat(zRow + 3 * block + q);
                    z.putFloat(zRow + q, dc * i * (1 - a * a));
                    z.putFloat(zRow + block + q, dc * cells.getFloat(cPrev + q) * f * (1 - f));
                    z.putFloat(zRow + 3 * block + q, dc * a * i * (1 - i));
                    carry.putFloat(hRow + q, dc * f);
                }
            }
        }
    }
}
