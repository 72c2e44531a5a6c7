package org.cinelab.models.dl4j;

import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.factory.Nd4j;

/**
 * ND4J settings that CineLab's DL4J models share: FLOAT arithmetic and the BLAS thread count.
 * The launcher sets {@code OMP_NUM_THREADS=1} before the JVM starts (ND4J reads it once); the BLAS
 * pool is then sized here, from each model's {@code blas_threads} setting, which is logged with the
 * trial's params. DEPENDENCIES.md measured 1 OpenMP + 2 BLAS threads as the best dense set-up on 2 cores.
 */
public final class Nd4jRuntime {
    private Nd4jRuntime() {}

    /**
     * Makes FLOAT the default data type and, when {@code blasThreads > 0}, sizes the BLAS pool.
     * Zero keeps ND4J's start-up value (which follows {@code OMP_NUM_THREADS}).
     *
     * @return the BLAS thread count now in effect
     */
    public static synchronized int configure(int blasThreads) {
        Nd4j.setDefaultDataTypes(DataType.FLOAT, DataType.FLOAT);
        if (blasThreads > 0 && Nd4j.factory().blas().getMaxThreads() != blasThreads) {
            Nd4j.factory().blas().setMaxThreads(blasThreads);
        }
        return Nd4j.factory().blas().getMaxThreads();
    }
}
