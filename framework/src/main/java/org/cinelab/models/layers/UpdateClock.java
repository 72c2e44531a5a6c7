package org.cinelab.models.layers;

/**
 * How much of a training step the optimiser's pass over the parameters takes, and how many bytes it
 * had to move: the benchmarks run this clock beside {@link ProductClock}. The pass does little
 * arithmetic per byte (Adam reads a parameter, its gradient and two moments and writes three of them
 * back for a few multiply-adds), so its figure is GB/s, which the benchmark sets beside what this
 * machine streams at the same size: how far it is from memory's limit.
 *
 * <p>Bytes are the least any implementation moves: each array the rule reads once and each it writes
 * once, four bytes a value (chunks copied through the heap are not counted), so the rate is the pass's
 * effective bandwidth. Time is the metered thread's, as in {@link ProductClock}; off, the clock costs
 * one volatile read per update call.
 */
public final class UpdateClock {
    private static volatile Thread metered;
    private static long nanos, bytes, resident, steps, lastIteration;

    private UpdateClock() {}

    /**
     * What the optimiser passes did while the clock ran.
     *
     * @param residentBytes the calls' working sets (parameters, gradients and state, each array once) summed
     * @param steps         the optimiser steps (distinct iterations) the calls belonged to
     */
    public record Reading(double seconds, double bytes, long residentBytes, long steps) {
        public double gigabytesPerSecond() { return seconds > 0 ? bytes / seconds / 1e9 : 0; }

        /** The memory one step's updates sweep: what a pass has to stream through the caches. */
        public long workingSetPerStep() { return steps > 0 ? residentBytes / steps : 0; }
    }

    /** Starts from zero, timing the calling thread's updates. */
    public static void start() {
        nanos = 0;
        bytes = 0;
        resident = 0;
        steps = 0;
        lastIteration = Long.MIN_VALUE;
        metered = Thread.currentThread();
    }

    /** Stops the clock and returns what it measured since {@link #start()}. */
    public static Reading stop() {
        metered = null;
        return new Reading(nanos / 1e9, bytes, resident, steps);
    }

    /** Whether the calling thread's updates are being metered now. */
    public static boolean running() { return metered == Thread.currentThread(); }

    /**
     * Adds one update call of step {@code iteration}: {@code movedBytes} read and written, over a working set of
     * {@code residentBytes}, in {@code tookNanos}. Only the metered thread calls it (see {@link #running()}).
     */
    public static void add(long movedBytes, long residentBytes, long tookNanos, long iteration) {
        if (iteration != lastIteration) steps++;
        lastIteration = iteration;
        nanos += tookNanos;
        bytes += movedBytes;
        resident += residentBytes;
    }
}
