package org.cinelab.models.layers;

import java.nio.ByteBuffer;

/** Blocked copies between column-major and row-major [rows, cols] float matrices in byte buffers. */
final class Transpose {
    /** Rows per block: a block of the row-major side (64 rows x cols) stays in the L1 cache. */
    private static final int BLOCK = 64;

    private Transpose() {}

    /** {@code to[r * cols + c] = from[r + c * rows]}. */
    static void columnToRowMajor(ByteBuffer from, int rows, int cols, ByteBuffer to) {
        for (int r0 = 0; r0 < rows; r0 += BLOCK) {
            int r1 = Math.min(rows, r0 + BLOCK);
            for (int c = 0; c < cols; c++) {
                int column = c * rows;
                for (int r = r0; r < r1; r++) to.putFloat(4 * (r * cols + c), from.getFloat(4 * (r + column)));
            }
        }
    }

    /** {@code to[r + c * rows] = from[r * cols + c]}. */
    static void rowToColumnMajor(ByteBuffer from, int rows, int cols, ByteBuffer to) {
        for (int r0 = 0; r0 < rows; r0 += BLOCK) {
            int r1 = Math.min(rows, r0 + BLOCK);
            for (int c = 0; c < cols; c++) {
                int column = c * rows;
                for (int r = r0; r < r1; r++) to.putFloat(4 * (r + column), from.getFloat(4 * (r * cols + c)));
            }
        }
    }
}
