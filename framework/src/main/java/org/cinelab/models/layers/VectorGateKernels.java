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

    private static FloatVector sigmoid(FloatVector x) {
        return FloatVector.broadcast(S, 1f).div(x.neg().lanewise(VectorOperators.EXP).add(1f));
    }

    @Override
    public void forward(int batch, int hidden, ByteBuffer z, int zOff, ByteBuffer bias, ByteBuffer cells, int cPrevOff, int cOff,
                        ByteBuffer tanhCells, int tcOff, ByteBuffer hiddenOut, int hOff, ByteBuffer mask, int maskOff) {
        int vectorUnits = hidden - hidden % L;
        int block = 4 * hidden;
        for (int b = 0; b < batch; b++) {
            float m = mask == null ? 1f : mask.getFloat(maskOff + 4 * b);
            int zRow = zOff + 4 * block * b, hRow = 4 * hidden * b;
            for (int j = 0; j < vectorUnits; j += L) {
                int q = 4 * j;
                FloatVector a = load(z, zRow + q).add(load(bias, q)).lanewise(VectorOperators.TANH);
                FloatVector f = sigmoid(load(z, zRow + block + q).add(load(bias, block + q)));
                FloatVector o = sigmoid(load(z, zRow + 2 * block + q).add(load(bias, 2 * block + q)));
                FloatVector i = sigmoid(load(z, zRow + 3 * block + q).add(load(bias, 3 * block + q)));
                FloatVector c = f.mul(load(cells, cPrevOff + hRow + q)).add(i.mul(a));
                FloatVector tc = c.lanewise(VectorOperators.TANH);
                store(a, z, zRow + q);
                store(f, z, zRow + block + q);
                store(o, z, zRow + 2 * block + q);
                store(i, z, zRow + 3 * block + q);
                store(c.mul(m), cells, cOff + hRow + q);
                store(tc, tanhCells, tcOff + hRow + q);
                store(o.mul(tc).mul(m), hiddenOut, hOff + hRow + q);
            }
            if (vectorUnits < hidden) {
                ScalarGateKernels.forwardRange(hidden, vectorUnits, hidden, z, zRow, bias, cells, cPrevOff + hRow, cOff + hRow,
                        tanhCells, tcOff + hRow, hiddenOut, hOff + hRow, m);
            }
        }
    }

    @Override
    public void backward(int batch, int hidden, ByteBuffer z, int zOff, ByteBuffer tanhCells, int tcOff, ByteBuffer cells, int cPrevOff,
                         ByteBuffer dh, int dhOff, ByteBuffer carry, ByteBuffer mask, int maskOff) {
        int vectorUnits = hidden - hidden % L;
        int block = 4 * hidden;
        for (int b = 0; b < batch; b++) {
            float m = mask == null ? 1f : mask.getFloat(maskOff + 4 * b);
            int zRow = zOff + 4 * block * b, hRow = 4 * hidden * b;
            for (int j = 0; j < vectorUnits; j += L) {
                int q = 4 * j;
                FloatVector a = load(z, zRow + q), f = load(z, zRow + block + q), o = load(z, zRow + 2 * block + q),
                        i = load(z, zRow + 3 * block + q);
                FloatVector tc = load(tanhCells, tcOff + hRow + q);
                FloatVector g = load(dh, dhOff + hRow + q).mul(m);
                FloatVector dc = g.mul(o).mul(tc.mul(tc).neg().add(1f)).add(load(carry, hRow + q).mul(m));
                store(dc.mul(i).mul(a.mul(a).neg().add(1f)), z, zRow + q);
                store(dc.mul(load(cells, cPrevOff + hRow + q)).mul(f).mul(f.neg().add(1f)), z, zRow + block + q);
                store(g.mul(tc).mul(o).mul(o.neg().add(1f)), z, zRow + 2 * block + q);
                store(dc.mul(a).mul(i).mul(i.neg().add(1f)), z, zRow + 3 * block + q);
                store(dc.mul(f), carry, hRow + q);
            }
            if (vectorUnits < hidden) {
                ScalarGateKernels.backwardRange(hidden, vectorUnits, hidden, z, zRow, tanhCells, tcOff + hRow, cells, cPrevOff + hRow,
                        dh, dhOff + hRow, carry, hRow, m);
            }
        }
    }
}
