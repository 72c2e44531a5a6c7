package org.cinelab.models.layers;

import java.util.concurrent.atomic.LongAdder;

/**
 * How much of a training step its matrix products take: the benchmarks start this clock around the
 * timed epochs and print the products' share of the time, their own GFLOP/s, and the time per step
 * between them (element-wise passes, the optimiser, data batches). That splits a model's distance
 * from the sgemm peak in two: products slower than the peak at the model's shapes, and work around
 * them.
 *
 * <p>Time is taken on the thread that started the clock (the training thread); products on helper
 * threads run beside its own (the lanes of {@link SplitGemm#splitRows}) or inside a product it
 * waits for. Multiply-adds are counted on every thread, so with balanced lanes the products' rate is
 * that of all threads together. Off, the clock costs one volatile read per product.
 */
public final class ProductClock {
    private static volatile Thread metered;
    private static long nanos;
    private static final LongAdder FLOPS = new LongAdder();

    private ProductClock() {}

    /** What the products did while the clock ran. */
    public record Reading(double seconds, double flops) {
        public double gflops() { return seconds > 0 ? flops / seconds / 1e9 : 0; }
    }

    /** Starts from zero, timing the calling thread's products. */
    public static void start() {
        nanos = 0;
        FLOPS.reset();
        metered = Thread.currentThread();
    }

    /** Stops the clock and returns what it measured since {@link #start()}. */
    public static Reading stop() {
        metered = null;
        return new Reading(nanos / 1e9, FLOPS.doubleValue());
    }

    /** Whether products are being metered now (on any thread). */
    static boolean running() { return metered != null; }

    /** Adds a product of {@code m x n x k} multiply-adds that took {@code tookNanos} (counted only on the metered thread). */
    static void add(long m, long n, long k, long tookNanos) {
        FLOPS.add(2 * m * n * k);
        if (Thread.currentThread() == metered) nanos += tookNanos;
    }
}
