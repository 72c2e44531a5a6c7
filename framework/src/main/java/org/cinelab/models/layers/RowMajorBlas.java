package org.cinelab.models.layers;

/**
 * Single-precision GEMM and GEMV on raw addresses, row-major, through {@link SplitGemm} (so a product
 * is split over the process's threads as the dense trainers' are). One JNI call per block: ND4J's
 * {@code Nd4j.gemm} added ~50 us per call here, as much as a [128, 64] x [64, 256] product itself. An
 * instance reuses its pointer objects, so it is not thread-safe: one per layer.
 */
final class RowMajorBlas {
    private final NativeMemory.Address a = new NativeMemory.Address();
    private final NativeMemory.Address b = new NativeMemory.Address();
    private final NativeMemory.Address c = new NativeMemory.Address();

    /** C[m, n] = alpha * op(A)[m, k] op(B)[k, n] + beta * C, each matrix row-major with its leading dimension. */
    void gemm(boolean transA, boolean transB, int m, int n, int k, float alpha, long aAddress, int lda,
              long bAddress, int ldb, float beta, long cAddress, int ldc) {
        if (m == 0 || n == 0) return;
        SplitGemm.gemm(transA ? SplitGemm.TRANS : SplitGemm.NO_TRANS, transB ? SplitGemm.TRANS : SplitGemm.NO_TRANS, m, n, k, alpha,
                a.at(aAddress, 0), 0, lda, b.at(bAddress, 0), 0, ldb, beta, c.at(cAddress, 0), 0, ldc);
    }

    /** {@link #gemm} on the calling thread only, for a lane of {@link SplitGemm#splitRows}. */
    void gemmOnThisThread(boolean transA, boolean transB, int m, int n, int k, float alpha, long aAddress, int lda,
                          long bAddress, int ldb, float beta, long cAddress, int ldc) {
        if (m == 0 || n == 0) return;
        SplitGemm.gemmOnThisThread(transA ? SplitGemm.TRANS : SplitGemm.NO_TRANS, transB ? SplitGemm.TRANS : SplitGemm.NO_TRANS, m, n, k,
                alpha, a.at(aAddress, 0), 0, lda, b.at(bAddress, 0), 0, ldb, beta, c.at(cAddress, 0), 0, ldc);
    }

    /** y[n] = A^T x for a row-major A[m, n]: the column sums of A when x is all ones. */
    void gemvTransposed(int m, int n, long aAddress, int lda, long xAddress, float beta, long yAddress) {
        if (n == 0) return;
        // y^T [1, n] = x^T [1, m] · A [m, n]: a one-row product, i.e. sgemv
        SplitGemm.gemm(SplitGemm.NO_TRANS, SplitGemm.NO_TRANS, 1, n, m, 1f, b.at(xAddress, 0), 0, m, a.at(aAddress, 0), 0, lda, beta,
                c.at(yAddress, 0), 0, 1);
    }
}
