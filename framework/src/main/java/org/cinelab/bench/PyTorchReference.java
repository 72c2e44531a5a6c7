package org.cinelab.bench;

import java.util.Map;
import java.util.Optional;

/**
 * PyTorch 1.13's training throughput on this kind of machine (CPU, OpenBLAS), measured side by side
 * with CineLab and recorded in ../shared/docs/DEPENDENCIES.md: the bar the benchmarks print ours against.
 * Keyed by benchmark row and BLAS threads (PyTorch with 1 framework thread).
 */
final class PyTorchReference {
    record Figure(double examplesPerSecond, String setUp) {}

    private static final Map<String, Map<Integer, Figure>> FIGURES = Map.of(
            "dec", Map.of(1, new Figure(3_368, "1 thread, batch 128"), 2, new Figure(5_297, "1 + 2 BLAS threads, batch 128")),
            "autorec", Map.of(2, new Figure(24_108, "1 + 2 BLAS threads; batch not recorded")),
            "text-lstm len 100", Map.of(1, new Figure(2_200, "1 thread"), 2, new Figure(2_601, "1 + 2 BLAS threads")),
            "text-lstm len 1500", Map.of(1, new Figure(106, "1 thread")));

    private PyTorchReference() {}

    static Optional<Figure> of(String row, int blasThreads) {
        return Optional.ofNullable(FIGURES.getOrDefault(row, Map.of()).get(blasThreads));
    }
}
