package org.cinelab.bench;

import org.cinelab.models.dl4j.Nd4jRuntime;
import org.cinelab.runner.Provenance;

import java.io.PrintStream;

/** The thread set-up a model benchmark runs under, applied before any model is built and printed with the figures. */
final class BenchThreads {
    private BenchThreads() {}

    /** Applies the process's chosen thread count ({@code cinelab bench --threads N}) and returns the count a step uses. */
    static int configure(PrintStream out) {
        Nd4jRuntime.configure();
        int threads = Nd4jRuntime.threads();
        out.printf("threads: OMP_NUM_THREADS=%s (ND4J's OpenMP pool), %d thread%s (cinelab bench --threads N)%s;"
                        + " OpenBLAS kernels: %s (OPENBLAS_CORETYPE%s)%n",
                System.getenv().getOrDefault("OMP_NUM_THREADS", "unset"), threads, threads == 1 ? "" : "s",
                threads > 1 ? ", CineLab's products split over them, OpenBLAS itself on 1" : "", Provenance.openBlasCoreType(),
                System.getenv("CINELAB_CORETYPE_CHOSEN") != null ? ", chosen by ./cinelab"
                        : System.getenv("OPENBLAS_CORETYPE") != null ? ", set in the environment: PyTorch runs on them too" : "");
        return threads;
    }
}
