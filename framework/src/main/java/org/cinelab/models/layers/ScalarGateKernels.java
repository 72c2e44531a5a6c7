package org.cinelab.models.layers;

import java.nio.ByteBuffer;

/**
 * {@link GateKernels} in plain Java, for JVMs without the vector module. Its ranges also finish the
 * units past the last whole vector in {@link VectorGateKernels}; both give the same bits.
 */
final class ScalarGateKernels implements GateKernels {
    @Override
    public void forward(int batch, int hidden, ByteBuffer z, int zOff, ByteBuffer bias, ByteBuffer cells, int cPrevOff, int cOff,
                        ByteBuffer tanhCells, int tcOff, ByteBuffer hiddenOut, int hOff, ByteBuffer mask, int maskOff) {
        for (int b = 0; b < batch; b++) {
            float m = mask == null ? 1f : mask.getFloat(maskOff + 4 * b);
            int zRow = zOff + 16 * hidden * b, hRow = 4 * hidden * b;
            tanhRange(0, hidden, z, zRow, bias);
            sigmoidRange(hidden, 4 * hidden, z, zRow, bias);
            cellRange(hidden, 0, hidden, z, zRow, cells, cPrevOff + hRow, cOff + hRow, tanhCells, tcOff + hRow, hiddenOut, hOff + hRow, m);
        }
    }

    /** z[j] = tanh(z[j] + bias[j]) for j in [from, to) of one row. */
    static void tanhRange(int from, int to, ByteBuffer z, int zRow, ByteBuffer bias) {
        for (int j = from; j < to; j++) z.putFloat(zRow + 4 * j, GateMath.tanh(z.getFloat(zRow + 4 * j) + bias.getFloat(4 * j)));
    }

    /** z[j] = sigmoid(z[j] + bias[j]) for j in [from, to) of one row. */
    static void sigmoidRange(int from, int to, ByteBuffer z, int zRow, ByteBuffer bias) {
        for (int j = from; j < to; j++) z.putFloat(zRow + 4 * j, GateMath.sigmoid(z.getFloat(zRow + 4 * j) + bias.getFloat(4 * j)));
    }

    /** Cell update of units [from, to) of one row whose activations are in place; offsets point at unit 0. */
    static void cellRange(int hidden, int from, int to, ByteBuffer z, int zRow, ByteBuffer cells, int cPrevRow, int cRow,
                          ByteBuffer tanhCells, int tcRow, ByteBuffer hiddenOut, int hRow, float m) {
        int block = 4 * hidden;
        for (int j = from; j < to; j++) {
            int q = 4 * j;
            float a = z.getFloat(zRow + q), f = z.getFloat(zRow + block + q), o = z.getFloat(zRow + 2 * block + q),
                    i = z.getFloat(zRow + 3 * block + q);
            float c = f * cells.getFloat(cPrevRow + q) + i * a;
            float tc = GateMath.tanh(c);
            cells.putFloat(cRow + q, c * m);
            tanhCells.putFloat(tcRow + q, tc);
            hiddenOut.putFloat(hRow + q, o * tc * m);
        }
    }

    @Override
    public void backward(int batch, int hidden, ByteBuffer z, int zOff, ByteBuffer tanhCells, int tcOff, ByteBuffer cells, int cPrevOff,
                         ByteBuffer dh, int dhOff, ByteBuffer carry, ByteBuffer mask, int maskOff) {
        for (int b = 0; b < batch; b++) {
            float m = mask == null ? 1f : mask.getFloat(maskOff + 4 * b);
            backwardRange(hidden, 0, hidden, z, zOff + 16 * hidden * b, tanhCells, tcOff + 4 * hidden * b, cells, cPrevOff + 4 * hidden * b,
                    dh, dhOff + 4 * hidden * b, carry, 4 * hidden * b, m);
        }
    }

    static void backwardRange(int hidden, int from, int to, ByteBuffer z, int zRow, ByteBuffer tanhCells, int tcRow, ByteBuffer cells,
                              int cPrevRow, ByteBuffer dh, int dhRow, ByteBuffer carry, int carryRow, float m) {
        int block = 4 * hidden;
        for (int j = from; j < to; j++) {
            int q = 4 * j;
            float a = z.getFloat(zRow + q), f = z.getFloat(zRow + block + q), o = z.getFloat(zRow + 2 * block + q),
                    i = z.getFloat(zRow + 3 * block + q);
            float tc = tanhCells.getFloat(tcRow + q);
            float g = dh.getFloat(dhRow + q) * m;
            float dc = g * o * (1 - tc * tc) + carry.getFloat(carryRow + q) * m;
            z.putFloat(zRow + q, dc * i * (1 - a * a));
            z.putFloat(zRow + block + q, dc * cells.getFloat(cPrevRow + q) * f * (1 - f));
            z.putFloat(zRow + 2 * block + q, g * tc * o * (1 - o));
            z.putFloat(zRow + 3 * block + q, dc * a * i * (1 - i));
            carry.putFloat(carryRow + q, dc * f);
        }
    }
}
