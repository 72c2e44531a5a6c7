package org.cinelab.models.layers;

import org.bytedeco.javacpp.FloatPointer;
import org.bytedeco.javacpp.Loader;
import org.bytedeco.javacpp.Pointer;
import org.bytedeco.openblas.global.openblas_nolapack;

/**
 * The training engine's products: row-major {@code sgemm} split over the process's threads, the
 * caller and the {@link ComputeLanes} helpers each computing a block of C's rows or columns with
 * single-threaded OpenBLAS. OpenBLAS's own threads cost a step more than they give: on 2 cores DEC's
 * 23 products of a step ran at 104-113 GFLOP/s through them and at 145-161 split here (1 thread: 85),
 * and once woken, OpenBLAS's idle worker spins through the Java work between products, on the core
 * the optimiser's helper needs (the stacked autoencoder's one-row steps ran slower on 2 threads than
 * on 1 for that reason).
 *
 * <p>So with more than one thread, OpenBLAS is set to 1 thread for the whole process, once, and the
 * products here split over CineLab's threads instead. ND4J's own operations (evaluation, DL4J's
 * {@code fit}) then run on one OpenBLAS thread too. Setting it around each product instead, as before,
 * let one trial's product change the thread count under another trial's ND4J operation, and
 * OpenBLAS's count changes its bits (4-18% of a product's elements differed between 1 and 2 threads,
 * shapes 128 to 1024 deep), so a metric depended on timing. A product of at most {@link #SPLIT_MIN}
 * multiply-adds or of one row ({@code sgemv}) runs on the caller's thread.
 * Blocks round a few sums differently from the whole product (OpenBLAS's edge kernels), so results
 * depend on the thread count, as they did with OpenBLAS's threads. They do not depend on timing:
 * when another trial holds the helpers, the caller computes the same blocks one after another. With
 * another BLAS than OpenBLAS loaded, products keep that library's own threading.
 */
public final class SplitGemm {
    static final int ROW_MAJOR = 101;
    public static final int NO_TRANS = 111, TRANS = 112;
    /** Products up to this many multiply-adds OpenBLAS runs on one thread anyway (its SMP threshold, 65536 x 4). */
    static final long SPLIT_MIN = 1L << 18;
    /** Blocks are whole multiples of this many rows or columns (OpenBLAS's kernels work in such tiles). */
    private static final int ALIGN = 16;
    /** At most this many rows of C for {@code (B A^T)^T} (see {@link #sgemm}). */
    static final int TRANSPOSED_MAX_ROWS = 64;
    /** At least this many columns: narrower, the transposed product would have the few rows. */
    static final int TRANSPOSED_MIN_COLUMNS = 128;
    /**
     * A depth of at least this many times the rows: copying C back costs per element of C, what the
     * transposed product saves grows with the depth (break-even measured at 4x from 2 to 64 rows).
     */
    static final int TRANSPOSED_MIN_DEPTH_PER_ROW = 4;

    /** The product being split on each calling thread (trials in parallel split their own). */
    private static final ThreadLocal<Product> PRODUCT = ThreadLocal.withInitial(Product::new);
    /** The threads a training step may use: the process's setting ({@code Nd4jRuntime}), 1 until it is configured. */
    private static volatile int threads = 1;

    private SplitGemm() {}

    /** Sets the threads a product may use; from 2 on, OpenBLAS is set to 1 thread (see above). */
    public static void setThreads(int count) {
        if (count < 1) throw new IllegalArgumentException("threads must be >= 1, got " + count);
        if (count > 1 && OpenBlasThreads.AVAILABLE) OpenBlasThreads.set(1);
        threads = count;
    }

    /** The threads a product may use. */
    public static int threads() { return threads; }

    /**
     * {@code C = alpha op(A) op(B) + beta C}, each matrix row-major at an offset into its buffer. A
     * one-row product is a matrix-vector product, which {@code sgemm} computes many times slower (it
     * packs for wide blocks).
     */
    public static void gemm(int transA, int transB, int m, int n, int k, float alpha, FloatPointer a, long aOffset, int lda,
                            FloatPointer b, long bOffset, int ldb, float beta, FloatPointer c, long cOffset, int ldc) {
        gemm(threads, transA, transB, m, n, k, alpha, a, aOffset, lda, b, bOffset, ldb, beta, c, cOffset, ldc);
    }

    /** {@code C = op(A) op(B)}: {@link #gemm} with alpha 1 and beta 0. */
    public static void gemm(int transA, int transB, int m, int n, int k, FloatPointer a, long aOffset, int lda,
                            FloatPointer b, long bOffset, int ldb, FloatPointer c, long cOffset, int ldc) {
        gemm(threads, transA, transB, m, n, k, 1f, a, aOffset, lda, b, bOffset, ldb, 0f, c, cOffset, ldc);
    }

    /**
     * {@link #gemm} over {@code threads} threads (the caller's and helpers), whatever the process's
     * setting; each block calls OpenBLAS at its current count, so set that to 1 first (tests do it with
     * {@link #setThreads}).
     */
    static void gemm(int threads, int transA, int transB, int m, int n, int k, float alpha, FloatPointer a, long aOffset, int lda,
                     FloatPointer b, long bOffset, int ldb, float beta, FloatPointer c, long cOffset, int ldc) {
        if (!ProductClock.running()) {
            split(threads, transA, transB, m, n, k, alpha, a, aOffset, lda, b, bOffset, ldb, beta, c, cOffset, ldc);
            return;
        }
        long t0 = System.nanoTime();
        split(threads, transA, transB, m, n, k, alpha, a, aOffset, lda, b, bOffset, ldb, beta, c, cOffset, ldc);
        ProductClock.add(m, n, k, System.nanoTime() - t0);
    }

    private static void split(int threads, int transA, int transB, int m, int n, int k, float alpha, FloatPointer a, long aOffset, int lda,
                              FloatPointer b, long bOffset, int ldb, float beta, FloatPointer c, long cOffset, int ldc) {
        if (threads < 2 || !OpenBlasThreads.AVAILABLE) { // another BLAS (e.g. MKL) keeps its own threading
            callerOnly(transA, transB, m, n, k, alpha, a, aOffset, lda, b, bOffset, ldb, beta, c, cOffset, ldc);
            return;
        }
        long work = (long) m * n * k;
        if (m == 1 || work <= SPLIT_MIN) {
            callerOnly(transA, transB, m, n, k, alpha, a, aOffset, lda, b, bOffset, ldb, beta, c, cOffset, ldc);
        } else {
            // blocks of C's rows or columns, whichever are more; SplitLoop runs the same blocks in turn
            // when another trial holds the helpers, so the bits do not depend on who got them
            Product product = PRODUCT.get();
            product.set(transA, transB, m, n, k, alpha, a.address() + aOffset * Float.BYTES, lda, b.address() + bOffset * Float.BYTES, ldb,
                    beta, c.address() + cOffset * Float.BYTES, ldc);
            SplitLoop.run(threads, Math.max(m, n), ALIGN, work, product);
        }
    }

    /**
     * Runs {@code body} over {@code [0, n)} split over the process's threads ({@link SplitLoop}), for work whose lanes compute products of their own, with
     * {@link #gemmOnThisThread}: the LSTM's recurrence, whose batch rows are independent from the
     * first step to the last, so each lane runs every step for its rows with no hand-over between.
     */
    public static void splitRows(int n, int align, long work, SplitLoop.Body body) {
        int t = threads;
        if (t < 2 || !OpenBlasThreads.AVAILABLE) {
            body.run(0, 0, n);
            return;
        }
        SplitLoop.run(t, n, align, work, body);
    }

    /** A product on the calling thread only: inside {@link #splitRows}. */
    public static void gemmOnThisThread(int transA, int transB, int m, int n, int k, float alpha, FloatPointer a, long aOffset, int lda,
                                        FloatPointer b, long bOffset, int ldb, float beta, FloatPointer c, long cOffset, int ldc) {
        if (!ProductClock.running()) {
            callerOnly(transA, transB, m, n, k, alpha, a, aOffset, lda, b, bOffset, ldb, beta, c, cOffset, ldc);
            return;
        }
        long t0 = System.nanoTime();
        callerOnly(transA, transB, m, n, k, alpha, a, aOffset, lda, b, bOffset, ldb, beta, c, cOffset, ldc);
        ProductClock.add(m, n, k, System.nanoTime() - t0);
    }

    private static void callerOnly(int transA, int transB, int m, int n, int k, float alpha, FloatPointer a, long aOffset, int lda,
                                   FloatPointer b, long bOffset, int ldb, float beta, FloatPointer c, long cOffset, int ldc) {
        if (m == 1) {
            // c^T = op(B)^T a^T, with a a row (stride 1) or a column (stride lda)
            int incA = transA == NO_TRANS ? 1 : lda;
            openblas_nolapack.cblas_sgemv(ROW_MAJOR, transB == NO_TRANS ? TRANS : NO_TRANS, transB == NO_TRANS ? k : n,
                    transB == NO_TRANS ? n : k, alpha, b.position(bOffset), ldb, a.position(aOffset), incA, beta, c.position(cOffset), 1);
        } else {
            sgemm(transA, transB, m, n, k, alpha, a.position(aOffset), lda, b.position(bOffset), ldb, beta, c.position(cOffset), ldc);
        }
    }

    /**
     * One {@code sgemm} on this thread, pointers at their matrices. {@code A B^T} with a few rows and enough depth
     * (AutoRec's forward products at batch 32) runs as {@code (B A^T)^T}: OpenBLAS 0.3.19's
     * SkylakeX kernels ran 32x943x500 at 99-105 GFLOP/s the first way and 147-151 the second (16 rows:
     * 78 against 131; 64: 134 against 165; 128: 177 against 192, which the copy back no longer pays for).
     * The product goes to this thread's scratch, then each row of C is copied (or, with beta 1, added) from a
     * column of it with strided BLAS calls, which need no view of C. That copy costs ~0.6 ns per element of
     * C, so a shallow product loses: with it, a 2-thread LSTM lane's 64x256x64 ran at 83 GFLOP/s against
     * 131 as given, and 64x943x128 at 133 against 151; at depth 4x the rows it is even or better
     * (16x943x64: 101 against 82). Other shapes call {@code sgemm} as given.
     */
    private static void sgemm(int transA, int transB, int m, int n, int k, float alpha, FloatPointer a, int lda, FloatPointer b, int ldb,
                              float beta, FloatPointer c, int ldc) {
        if (transA != NO_TRANS || transB != TRANS || m > TRANSPOSED_MAX_ROWS || n < TRANSPOSED_MIN_COLUMNS
                || k < TRANSPOSED_MIN_DEPTH_PER_ROW * m || (beta != 0 && beta != 1)) {
            openblas_nolapack.cblas_sgemm(ROW_MAJOR, transA, transB, m, n, k, alpha, a, lda, b, ldb, beta, c, ldc);
            return;
        }
        Transposed t = TRANSPOSED.get();
        t.scratch.ensure((long) m * n);
        long scratch = t.scratch.address();
        openblas_nolapack.cblas_sgemm(ROW_MAJOR, NO_TRANS, TRANS, n, m, k, alpha, b, ldb, a, lda, 0f, t.column.at(scratch, (long) m * n), m);
        long cAt = c.address() + c.position() * Float.BYTES;
        for (int i = 0; i < m; i++) {
            FloatPointer column = t.column.at(scratch + (long) i * Float.BYTES, (long) m * n - i);
            FloatPointer row = t.row.at(cAt + (long) i * ldc * Float.BYTES, n);
            if (beta == 0) openblas_nolapack.cblas_scopy(n, column, m, row, 1);
            else openblas_nolapack.cblas_saxpy(n, 1f, column, m, row, 1);
        }
    }

    /** Each thread's scratch for {@code B A^T} and its pointers into it and into C. */
    private static final ThreadLocal<Transposed> TRANSPOSED = ThreadLocal.withInitial(Transposed::new);

    private static final class Transposed {
        final NativeFloats scratch = new NativeFloats();
        final NativeMemory.Address column = new NativeMemory.Address(), row = new NativeMemory.Address();
    }

    /**
     * {@code openblas_set_num_threads}, called directly: the binding's {@code blas_set_num_threads}
     * loads the library's properties and looks up four symbols on every call (3 MB of garbage per DEC
     * step when called around each product); this takes ~35 ns.
     */
    private static final class OpenBlasThreads extends org.bytedeco.openblas.presets.openblas_nolapack.SetNumThreads {
        private static final Pointer ADDRESS = Loader.addressof("openblas_set_num_threads");
        static final boolean AVAILABLE = ADDRESS != null && !ADDRESS.isNull();
        private static final OpenBlasThreads FUNCTION = AVAILABLE ? new OpenBlasThreads() : null;

        private OpenBlasThreads() {
            put(ADDRESS);
        }

        static void set(int threads) { FUNCTION.call(threads); }
    }

    /**
     * A product split into blocks of C's rows (when it has more rows than columns) or columns, each
     * block computed by one lane on pointers of its own (a pointer's position is not thread-safe).
     */
    private static final class Product implements SplitLoop.Body {
        private final NativeMemory.Address[][] lanes = new NativeMemory.Address[SplitLoop.lanes(Integer.MAX_VALUE)][];
        private int transA, transB, m, n, k, lda, ldb, ldc;
        private float alpha, beta;
        private long a, b, c;

        Product() {
            for (int i = 0; i < lanes.length; i++) {
                lanes[i] = new NativeMemory.Address[]{new NativeMemory.Address(), new NativeMemory.Address(), new NativeMemory.Address()};
            }
        }

        void set(int transA, int transB, int m, int n, int k, float alpha, long a, int lda, long b, int ldb, float beta, long c, int ldc) {
            this.transA = transA;
            this.transB = transB;
            this.m = m;
            this.n = n;
            this.k = k;
            this.alpha = alpha;
            this.a = a;
            this.lda = lda;
            this.b = b;
            this.ldb = ldb;
            this.beta = beta;
            this.c = c;
            this.ldc = ldc;
        }

        @Override
        public void run(int lane, int from, int to) {
            long aAt = a, bAt = b, cAt = c;
            boolean rows = m > n;
            if (rows) { // rows [from, to) of op(A) and of C
                aAt += (transA == NO_TRANS ? (long) from * lda : from) * Float.BYTES;
                cAt += (long) from * ldc * Float.BYTES;
            } else { // columns [from, to) of op(B) and of C
                bAt += (transB == NO_TRANS ? from : (long) from * ldb) * Float.BYTES;
                cAt += (long) from * Float.BYTES;
            }
            NativeMemory.Address[] p = lanes[lane];
            sgemm(transA, transB, rows ? to - from : m, rows ? n : to - from, k, alpha, p[0].at(aAt, 0), lda, p[1].at(bAt, 0), ldb, beta,
                    p[2].at(cAt, 0), ldc);
        }
    }
}
