package org.cinelab.bench;

import org.cinelab.models.dl4j.ThroughputProbe;
import org.cinelab.models.layers.ProductClock;
import org.cinelab.models.layers.UpdateClock;

import java.io.PrintStream;
import java.util.Locale;
import java.util.Optional;
import java.util.function.LongToDoubleFunction;

/**
 * One model's line in the model benchmarks: examples/s beside PyTorch's figure (as a ratio),
 * GFLOP/s as a share of the machine's measured sgemm peak, and what an epoch cost and allocated.
 */
final class ThroughputReport {
    private ThroughputReport() {}

    /**
     * @param row        the bench row, also the row {@code pytorch_reference.py} measures in this sitting
     * @param pytorchRow the recorded figure's key ({@link PyTorchReference}), used when {@code sitting} has no Python with PyTorch
     */
    static void print(PrintStream out, String row, String pytorchRow, TrainingMeter.Figures f, ThroughputProbe probe, SgemmPeak peak,
                      int blasThreads, PyTorchSitting sitting) {
        double perSecond = probe.examplesPerEpoch() / f.bestSeconds();
        double gflops = perSecond * probe.trainFlopsPerExample() / 1e9;
        Optional<PyTorchSitting.Figure> now = sitting.measure(row, blasThreads, out);
        String pytorch = now
                .map(p -> String.format(Locale.ROOT, "%.2fx PyTorch %,.0f (this sitting: torch %s, 1 + %d BLAS thread%s, %s)",
                        perSecond / p.examplesPerSecond(), p.examplesPerSecond(), p.version(), blasThreads, blasThreads == 1 ? "" : "s", p.kernels()))
                .orElseGet(() -> PyTorchReference.of(pytorchRow, blasThreads)
                        .map(p -> String.format(Locale.ROOT, "%.2fx PyTorch %,.0f (recorded on another machine of this kind: %s)",
                                perSecond / p.examplesPerSecond(), p.examplesPerSecond(), p.setUp()))
                        .orElse("no PyTorch figure at " + blasThreads + " BLAS thread" + (blasThreads == 1 ? "" : "s")));
        out.printf(Locale.ROOT, "%-24s %,10.0f %s/s  %s;  %6.2f GFLOP/s = %.2f of peak%n", row, perSecond, probe.exampleUnit(), pytorch,
                gflops, gflops / peak.peak(blasThreads));
        now.flatMap(p -> p.warning(peak.peak(blasThreads))).ifPresent(w -> out.printf(Locale.ROOT, "%-24s %s%n", "", w));
        double perCpu = probe.examplesPerEpoch() / f.cpuSeconds(), gflopsPerCpu = perCpu * probe.trainFlopsPerExample() / 1e9;
        out.printf(Locale.ROOT, "%-24s per CPU-second (what load changes least): %,.0f %s, %.2f GFLOP = %.2f of the CPU-second peak%s%n", "",
                perCpu, probe.exampleUnit(), gflopsPerCpu, gflopsPerCpu / peak.peakPerCpuSecond(blasThreads),
                now.filter(p -> p.examplesPerCpuSecond() > 0)
                        .map(p -> String.format(Locale.ROOT, ", %.2fx PyTorch's %,.0f", perCpu / p.examplesPerCpuSecond(), p.examplesPerCpuSecond()))
                        .orElseGet(() -> blasThreads == 1 && now.isEmpty() ? PyTorchReference.of(pytorchRow, 1).map(p -> String.format(Locale.ROOT,
                                ", %.2fx PyTorch's recorded 1-thread figure", perCpu / p.examplesPerSecond())).orElse("") : ""));
        long steps = probe.stepsPerEpoch();
        out.printf(Locale.ROOT, "%-24s epoch best %.2f s, mean %.2f s, process CPU %.2f s; per epoch %s heap, %,d ND4J native buffers%s;"
                        + " load %.1f -> %.1f%n", "", f.bestSeconds(), f.meanSeconds(), f.cpuSeconds(), bytes(f.heapBytes()), f.nativeBuffers(),
                steps > 0 ? String.format(Locale.ROOT, " (%s, %.1f buffers per step of %,d)", bytes(f.heapBytes() / steps) + "/step",
                        (double) f.nativeBuffers() / steps, steps) : "", f.loadBefore(), f.loadAfter());
        double flopsPerStep = steps > 0 ? probe.trainFlopsPerExample() * probe.examplesPerEpoch() / steps : 0;
        out.printf(Locale.ROOT, "%-24s %s%n", "", products(f, steps, flopsPerStep, peak.peak(blasThreads),
                bytes -> StreamRate.gigabytesPerSecond(bytes, blasThreads)));
        allocationWarning(f, steps).ifPresent(w -> out.printf(Locale.ROOT, "%-24s %s%n", "", w));
    }

    /**
     * Where the epoch's time went: the matrix products' share and their own rate against the peak
     * (below it: the model's shapes); the optimiser's passes, their share and their effective
     * bandwidth against what {@code streamRate} says this machine streams at the same working set
     * (GB/s for a size in bytes; below it: the pass's own code); and the time per step left between
     * them (element-wise passes, batches), which neither a faster product nor a faster pass removes.
     * With the flops of a step known, also the most of the peak a step could reach with its products
     * at the peak and its optimiser at the streaming rate: a bound set by the model's batch, not by code
     * (batch 1 moves every parameter's state for a few flops per parameter).
     */
    static String products(TrainingMeter.Figures f, long steps, double flopsPerStep, double peak, LongToDoubleFunction streamRate) {
        ProductClock.Reading p = f.products();
        if (p.seconds() <= 0) return "products: not metered (this model's training loop is DL4J's)";
        UpdateClock.Reading u = f.updates();
        double between = f.meanSeconds() - p.seconds() / f.epochs() - u.seconds() / f.epochs();
        String optimiser = "";
        if (u.seconds() > 0 && u.steps() > 0) {
            long set = u.workingSetPerStep();
            double rate = streamRate.applyAsDouble(set);
            optimiser = String.format(Locale.ROOT, "; optimiser %.0f%% (%,.0f us per step over %s at %.1f GB/s = %.2f of the %.1f GB/s"
                            + " this machine streams at that size)", 100 * u.seconds() / (f.meanSeconds() * f.epochs()),
                    u.seconds() / u.steps() * 1e6, bytes(set), u.gigabytesPerSecond(), u.gigabytesPerSecond() / rate, rate);
            if (flopsPerStep > 0) {
                double atPeak = flopsPerStep / (peak * 1e9), streamed = u.bytes() / u.steps() / (rate * 1e9);
                optimiser += String.format(Locale.ROOT, "; products at the peak and the optimiser at that rate would make a step %.2f of peak", atPeak / (atPeak + streamed));
            }
        }
        return String.format(Locale.ROOT, "products %.0f%% of the time, at %.2f GFLOP/s = %.2f of peak%s; the rest %s", 100 * f.productShare(),
                p.gflops(), p.gflops() / peak, optimiser, steps > 0 ? String.format(Locale.ROOT, "%,.0f us per step", between / steps * 1e6)
                        : String.format(Locale.ROOT, "%.3f s per epoch", between));
    }

    /** Above this much heap per step a step allocates (the epoch's own arrays, shuffled orders and the like, stay far below). */
    static final long STEP_ALLOCATION_LIMIT = 64_000;

    /**
     * A line to print when the timed epochs allocated more than {@link #STEP_ALLOCATION_LIMIT} of heap
     * per step: the trainers allocate nothing per step, so this is a regression, typically a
     * {@code jdk.incubator.vector} value that the JIT left in a call it did not inline and boxed.
     */
    static Optional<String> allocationWarning(TrainingMeter.Figures f, long steps) {
        if (steps <= 0 || f.heapBytes() / steps <= STEP_ALLOCATION_LIMIT) return Optional.empty();
        return Optional.of("! " + bytes(f.heapBytes() / steps) + " of heap per step: a step should allocate nothing"
                + " (a boxed vector of a loop the JIT did not inline, or an array made per step)");
    }

    static String bytes(long b) {
        if (b < 10_000) return b + " B";
        if (b < 10_000_000) return String.format(Locale.ROOT, "%,d kB", b / 1000);
        return String.format(Locale.ROOT, "%,d MB", b / 1_000_000);
    }
}
