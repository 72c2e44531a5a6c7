package org.cinelab.models.dl4j;

/**
 * What a model tells the throughput benchmark about one training epoch, so that it can print
 * examples/s and GFLOP/s comparable with PyTorch's figures in DEPENDENCIES.md.
 */
public interface ThroughputProbe {
    /** Examples (rows or ratings, as {@link #exampleUnit()} says) one epoch trains on. */
    long examplesPerEpoch();

    /** What one example is, e.g. "item vector" or "rating". */
    String exampleUnit();

    /** Optimisation steps (minibatches) in one epoch, or 0 when the model does not say. */
    default long stepsPerEpoch() { return 0; }

    /**
     * Floating-point operations to train on one example: about 6 x the multiply-adds of its dense
     * layers (2 forward, 4 backward); embedding lookups count nothing.
     */
    double trainFlopsPerExample();

    /** 6 x the multiply-adds of dense layers with the given widths ({in, h1, ..., out}). */
    static double denseTrainFlops(int... widths) {
        double macs = 0;
        for (int i = 0; i + 1 < widths.length; i++) macs += (double) widths[i] * widths[i + 1];
        return 6 * macs;
    }
}
