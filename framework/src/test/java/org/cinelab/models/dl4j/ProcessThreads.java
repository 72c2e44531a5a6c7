package org.cinelab.models.dl4j;

import static org.junit.jupiter.api.Assertions.assertEquals;

/** For tests that train at another thread count than the process's: set it, run, and put it back. */
public final class ProcessThreads {
    private ProcessThreads() {}

    /** Runs {@code work} with the process's threads set to {@code threads}, then restores them. */
    public static void with(int threads, Runnable work) {
        int chosen = Nd4jRuntime.blasThreads(), before = Nd4jRuntime.threads();
        Nd4jRuntime.setBlasThreads(threads);
        try {
            Nd4jRuntime.configure();
            assertEquals(threads, Nd4jRuntime.threads());
            work.run();
        } finally {
            Nd4jRuntime.setBlasThreads(Math.max(1, before));
            Nd4jRuntime.configure();
            Nd4jRuntime.setBlasThreads(chosen); // as it was: the next configure() keeps the count just restored
        }
    }
}
