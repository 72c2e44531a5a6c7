package org.cinelab.bench;

import org.cinelab.models.layers.ProductClock;
import org.cinelab.models.layers.UpdateClock;
import org.nd4j.linalg.factory.Nd4j;

import java.lang.management.ManagementFactory;
import java.util.function.IntConsumer;

/**
 * Times training epochs and counts what they allocate: wall and process CPU seconds, bytes the
 * training thread allocated on the heap ({@code ThreadMXBean#getThreadAllocatedBytes}) and the
 * native ND4J array buffers created (each a native allocation outside workspaces, counted by
 * ND4J's deallocator service), so that a model that allocates per step in steady state shows it.
 */
final class TrainingMeter {
    /**
     * Per-epoch figures over the timed epochs: the fastest epoch's wall time (other processes only
     * slow an epoch down), the mean process CPU time, mean allocations, and what the matrix
     * products took of the timed epochs ({@link ProductClock}; none for a model trained by DL4J's {@code fit}) and what
     * the optimiser's passes took ({@link UpdateClock}).
     */
    record Figures(int epochs, double bestSeconds, double meanSeconds, double cpuSeconds, long heapBytes, long nativeBuffers,
                   double loadBefore, double loadAfter, ProductClock.Reading products, UpdateClock.Reading updates) {
        /** The products' share of the timed epochs' wall time. */
        double productShare() { return products.seconds() / (meanSeconds * epochs); }
    }

    private TrainingMeter() {}

    /** Warm-up lasts at least this long: the Vector API loops run ~50x slower until the JIT has compiled them. */
    private static final double WARM_UP_SECONDS = 3;
    /** Timed epochs continue until they have lasted this long (short epochs vary most). */
    private static final double TIMED_SECONDS = 3;

    /**
     * Trains warm-up epochs (from 1) until at least {@value #WARM_UP_SECONDS} s have passed, then
     * times at least {@code minTimed} epochs and enough of them to last {@value #TIMED_SECONDS} s:
     * a model whose epoch is a few steps would otherwise be timed while still interpreted (the
     * S1 text-LSTM at length 100 has 6 steps per epoch: one warm-up epoch made it read 0.4x-0.8x).
     */
    static Figures warmUpAndMeasure(IntConsumer epoch, int minTimed) {
        int e = 1;
        double last = 0, warm = 0;
        do {
            long t0 = System.nanoTime();
            epoch.accept(e++);
            last = (System.nanoTime() - t0) / 1e9;
            warm += last;
        } while (warm < WARM_UP_SECONDS && e <= 100);
        int timed = Math.max(minTimed, Math.min(100, (int) Math.ceil(TIMED_SECONDS / Math.max(last, 1e-3))));
        return measure(epoch, e, timed);
    }

    /** Runs {@code epoch} for epochs {@code first .. first + count - 1} and measures them. */
    static Figures measure(IntConsumer epoch, int first, int count) {
        com.sun.management.ThreadMXBean threads = (com.sun.management.ThreadMXBean) ManagementFactory.getThreadMXBean();
        com.sun.management.OperatingSystemMXBean os = (com.sun.management.OperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean();
        long thread = Thread.currentThread().getId();
        double loadBefore = os.getSystemLoadAverage();
        double best = Double.MAX_VALUE, wall = 0, cpu = 0;
        long heap = 0, buffers = 0;
        ProductClock.start();
        UpdateClock.start();
        for (int e = first; e < first + count; e++) {
            long b0 = nativeBufferCount();
            long h0 = threads.getThreadAllocatedBytes(thread);
            long c0 = os.getProcessCpuTime();
            long t0 = System.nanoTime();
            epoch.accept(e);
            double seconds = (System.nanoTime() - t0) / 1e9;
            cpu += (os.getProcessCpuTime() - c0) / 1e9;
            heap += threads.getThreadAllocatedBytes(thread) - h0;
            buffers += nativeBufferCount() - b0 - 1;
            best = Math.min(best, seconds);
            wall += seconds;
        }
        ProductClock.Reading products = ProductClock.stop();
        UpdateClock.Reading updates = UpdateClock.stop();
        return new Figures(count, best, wall / count, cpu / count, heap / count, buffers / count, loadBefore, os.getSystemLoadAverage(),
                products, updates);
    }

    /** ND4J numbers every native buffer it creates from this counter (reading it takes one number). */
    private static long nativeBufferCount() {
        return Nd4j.getDeallocatorService().nextValue();
    }
}
