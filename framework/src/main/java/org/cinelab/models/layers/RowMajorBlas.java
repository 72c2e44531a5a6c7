package org.cinelab.models.layers;

import org.bytedeco.openblas.global.openblas_nolapack;

/**
 * Single-precision GEMM and GEMV on raw addresses, row-major, through the OpenBLAS that ND4J itself
 * calls (so ND4J's BLAS thread setting applies). One JNI call per product: ND4J's {@code Nd4j.gemm}
 * added ~50 us per call here, as much as a [128, 64] x [64, 256] product itself. An instance
 * reuses its pointer objects, so it is not thread-safe: one per layer.
 */
final class RowMajorBlas {
    private final NativeMemory.Address a = new NativeMemory.Address();
    private final NativeMemory.Address b = new NativeMemory.Address();
    private final NativeMemory.Address c = new NativeMemory.Address();

    /** C[m, n] = alpha * op(A)[m, k] op(B)[k, n] + beta * C, each matrix row-major with its leading dimension. */
    void gemm(boolean transA, boolean transB, int m, int n, int k, float alpha, long aAddress, int lda,
              long bAddress, int ldb, float beta, long cAddress, int ldc) {
        if (m == 0 || n == 0) return;
        openblas_nolapack.cblas_sgemm(openblas_nolapack.CblasRowMajor,
                transA ? openblas_nolapack.CblasTrans : openblas_nolapack.CblasNoTrans,
                transB ? openblas_nolapack.CblasTrans : openblas_nolapack.CblasNoTrans,
                m, n, k, alpha, a.at(aAddress, 0), lda, b.at(bAddress, 0), ldb, beta, c.at(cAddress, 0), ldc);
    }

    /** y[n] = A^T x for a row-major A[m, n]: the column sums of A when x is all ones. */
    void gemvTransposed(int m, int n, long aAddress, int lda, long xAddress, float beta, long yAddress) {
        if (n == 0) return;
        openblas_nolapack.cblas_sgemv(openblas_nolapack.CblasRowMajor, openblas_nolapack.CblasTrans, m, n, 1f,
                a.at(aAddress, 0), lda, b.at(xAddress, 0), 1, beta, c.at(yAddress, 0), 1);
    }
}
