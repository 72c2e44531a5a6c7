package org.cinelab.models.dl4j;

import org.cinelab.models.layers.SplitGemm;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.factory.Nd4j;

/**
 * ND4J settings that CineLab's DL4J models share: FLOAT arithmetic and the BLAS thread count.
 *
 * <p>ND4J's BLAS pool is one per process, so its size is a process setting chosen by whoever
 * starts the work ({@code cinelab run --threads N}, the benchmarks), never a model hyperparameter:
 * trials trained in parallel would otherwise race to resize the pool, the last one winning. The
 * launcher sets {@code OMP_NUM_THREADS=1} before the JVM starts (ND4J reads it once, and busy-waiting
 * OpenMP threads made training 2-10x slower on small machines); the BLAS pool is sized here, once,
 * before the first model is built. DEPENDENCIES.md measured 1 OpenMP + 2 BLAS threads as the best
 * set-up for one trial on 2 cores, and 2 trials x 1 thread for two.
 */
public final class Nd4jRuntime {
    private static int chosenBlasThreads;
    private static boolean applied;

    private Nd4jRuntime() {}

    /**
     * Chooses the BLAS thread count of this process; it takes effect before the next model is built
     * (or immediately if {@link #configure()} has run). Zero leaves ND4J's start-up value, which
     * follows {@code OMP_NUM_THREADS}.
     */
    public static synchronized void setBlasThreads(int threads) {
        if (threads < 0) throw new IllegalArgumentException("BLAS threads must be >= 0, got " + threads);
        chosenBlasThreads = threads;
        applied = false;
    }

    /** The chosen BLAS thread count, or 0 when none was chosen (ND4J's start-up value applies). */
    public static synchronized int blasThreads() { return chosenBlasThreads; }

    /** One trial per core: the available cores divided among {@code parallel} trials, at least 1. */
    public static int defaultBlasThreads(int parallel) {
        return Math.max(1, Runtime.getRuntime().availableProcessors() / Math.max(1, parallel));
    }

    /**
     * Makes FLOAT the default data type and applies the chosen BLAS thread count; every DL4J model
     * calls this before building its network. Idempotent, and safe from parallel trial threads.
     */
    public static synchronized void configure() {
        Nd4j.setDefaultDataTypes(DataType.FLOAT, DataType.FLOAT);
        if (applied) return;
        applyThreads();
        applied = true;
    }

    /** Sets OpenBLAS back to what {@link #configure()} chose, after a benchmark measured it at other counts. */
    public static synchronized void restoreThreads() {
        applyThreads();
    }

    private static void applyThreads() {
        // Set even when ND4J reports the same count: its report need not be what the BLAS library runs with
        // (from 2 threads on, SplitGemm sets OpenBLAS to 1 and ND4J still reports the count set here).
        if (chosenBlasThreads > 0) Nd4j.factory().blas().setMaxThreads(chosenBlasThreads);
        SplitGemm.setThreads(chosenBlasThreads > 0 ? chosenBlasThreads : Math.max(1, blasThreadsInEffect()));
    }

    /**
     * The threads a training step may use (its products split over them, {@link SplitGemm}): the chosen
     * BLAS thread count, or ND4J's start-up value; 1 before {@link #configure()}.
     */
    public static int threads() { return SplitGemm.threads(); }

    /** The BLAS thread count ND4J reports: the count last set through it (loads ND4J). */
    public static int blasThreadsInEffect() { return Nd4j.factory().blas().getMaxThreads(); }
}
