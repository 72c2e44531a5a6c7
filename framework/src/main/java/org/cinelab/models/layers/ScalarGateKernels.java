package org.cinelab.models.layers;

import java.nio.ByteBuffer;

/** {@link GateKernels} in plain Java, for JVMs without the vector module; also the reference in tests. */
final class ScalarGateKernels implements GateKernels {
    static float sigmoid(float x) {
        return (float) (1 / (1 + Math.exp(-x)));
    }

    @Override
    public void forward(int batch, int hidden, ByteBuffer z, int zOff, ByteBuffer bias, ByteBuffer cells, int cPrevOff, int cOff,
                        ByteBuffer tanhCells, int tcOff, ByteBuffer hiddenOut, int hOff, ByteBuffer mask, int maskOff) {
        for (int b = 0; b < batch; b++) {
            float m = mask == null ? 1f : mask.getFloat(maskOff + 4 * b);
            forwardRange(hidden, 0, hidden, z, zOff + 16 * hidden * b, bias, cells, cPrevOff + 4 * hidden * b, cOff + 4 * hidden * b,
                    tanhCells, tcOff + 4 * hidden * b, hiddenOut, hOff + 4 * hidden * b, m);
        }
    }

    /** Units {@code [from, to)} of one example's row; offsets point at unit 0 of that row. */
    static void forwardRange(int hidden, int from, int to, ByteBuffer z, int zRow, ByteBuffer bias, ByteBuffer cells, int cPrevRow,
                             int cRow, ByteBuffer tanhCells, int tcRow, ByteBuffer hiddenOut, int hRow, float m) {
        int block = 4 * hidden;
        for (int j = from; j < to; j++) {
            int q = 4 * j;
            float a = (float) Math.tanh(z.getFloat(zRow + q) + bias.getFloat(q));
            float f = sigmoid(z.getFloat(zRow + block + q) + bias.getFloat(block + q));
            float o = sigmoid(z.getFloat(zRow + 2 * block + q) + bias.getFloat(2 * block + q));
            float i = sigmoid(z.getFloat(zRow + 3 * block + q) + bias.getFloat(3 * block + q));
            float c = f * cells.getFloat(cPrevRow + q) + i * a;
            float tc = (float) Math.tanh(c);
            z.putFloat(zRow + q, a);
            z.putFloat(zRow + block + q, f);
            z.putFloat(zRow + 2 * block + q, o);
            z.putFloat(zRow + 3 * block + q, i);
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
