package org.cinelab.bench;

import org.bytedeco.javacpp.FloatPointer;
import org.bytedeco.openblas.global.openblas_nolapack;
import org.cinelab.models.dl4j.Nd4jRuntime;
import org.nd4j.linalg.factory.Nd4j;

import java.io.PrintStream;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * The machine's own FP32 matrix-multiply peak, measured before the model benchmarks so that their
 * GFLOP/s can be printed as a share of it (a ratio carries across machines; an absolute figure
 * does not). Each shape runs through the same OpenBLAS {@code sgemm} that ND4J and CineLab's dense
 * trainer call, at 1 and at 2 BLAS threads (or the cores there are), for a few rounds of ~0.2 s;
 * the best round counts, since other processes on a shared machine only ever slow a round down.
 * Each round is also divided by the process CPU time it took: GFLOP per CPU-second, which a loaded
 * machine changes far less than GFLOP per second (the model lines print the same measure).
 */
final class SgemmPeak {
    /** {@code m x k} times {@code k x n}. */
    record Shape(int m, int k, int n) {
        double flops() { return 2.0 * m * k * n; }

        @Override
        public String toString() { return m + "x" + k + "x" + n; }
    }

    static final Shape SQUARE = new Shape(1024, 1024, 1024);
    private static final int ROUNDS = 5;
    private static final double ROUND_SECONDS = 0.2;

    private final Map<Integer, Map<Shape, Double>> gflops = new LinkedHashMap<>();
    private final Map<Integer, Double> perCpuSecond = new LinkedHashMap<>();

    /** Measures {@link #SQUARE} and {@code shapes} at each thread count, then restores the process's chosen count. */
    static SgemmPeak measure(List<Shape> shapes, List<Integer> threadCounts) {
        Nd4jRuntime.configure();
        SgemmPeak peak = new SgemmPeak();
        List<Shape> all = new ArrayList<>(List.of(SQUARE));
        shapes.stream().filter(s -> !all.contains(s)).forEach(all::add);
        try {
            for (int threads : threadCounts) {
                Nd4j.factory().blas().setMaxThreads(threads);
                Map<Shape, Double> row = new LinkedHashMap<>();
                for (Shape s : all) {
                    double[] best = best(s);
                    row.put(s, best[0]);
                    if (s.equals(SQUARE)) peak.perCpuSecond.put(threads, best[1]);
                }
                peak.gflops.put(threads, row);
            }
        } finally {
            Nd4jRuntime.restoreThreads();
        }
        return peak;
    }

    /** 1 and 2 threads, or 1 and every core when there are more. */
    static List<Integer> defaultThreadCounts() {
        int cores = Runtime.getRuntime().availableProcessors();
        return cores <= 1 ? List.of(1) : List.of(1, cores);
    }

    /** The best round's GFLOP per second and per process CPU-second. */
    private static double[] best(Shape s) {
        com.sun.management.OperatingSystemMXBean os = (com.sun.management.OperatingSystemMXBean) java.lang.management.ManagementFactory.getOperatingSystemMXBean();
        FloatPointer a = new FloatPointer((long) s.m * s.k), b = new FloatPointer((long) s.k * s.n), c = new FloatPointer((long) s.m * s.n);
        a.fill(1);
        b.fill(1);
        openblas_nolapack.cblas_sgemm(101, 111, 111, s.m, s.n, s.k, 1f, a, s.k, b, s.n, 0f, c, s.n); // warm-up
        double best = 0, bestPerCpu = 0;
        for (int round = 0; round < ROUNDS; round++) {
            long calls = 0, c0 = os.getProcessCpuTime(), t0 = System.nanoTime(), t;
            do {
                openblas_nolapack.cblas_sgemm(101, 111, 111, s.m, s.n, s.k, 1f, a, s.k, b, s.n, 0f, c, s.n);
                calls++;
                t = System.nanoTime() - t0;
            } while (t < ROUND_SECONDS * 1e9);
            best = Math.max(best, s.flops() * calls / t);
            bestPerCpu = Math.max(bestPerCpu, s.flops() * calls / (os.getProcessCpuTime() - c0));
        }
        a.close();
        b.close();
        c.close();
        return new double[]{best, bestPerCpu};
    }

    /** GFLOP/s of the square product at {@code threads} (the closest measured count if that one was not). */
    double peak(int threads) {
        return row(threads).get(SQUARE);
    }

    /** GFLOP per process CPU-second of the square product at {@code threads}: the load-independent peak. */
    double peakPerCpuSecond(int threads) {
        return perCpuSecond.getOrDefault(threads, perCpuSecond.values().iterator().next());
    }

    private Map<Shape, Double> row(int threads) {
        if (gflops.containsKey(threads)) return gflops.get(threads);
        int closest = gflops.keySet().stream().min((x, y) -> Math.abs(x - threads) - Math.abs(y - threads)).orElseThrow();
        return gflops.get(closest);
    }

    void print(PrintStream out, int threadsInUse) {
        out.printf(Locale.ROOT, "FP32 sgemm (OpenBLAS through ND4J's binding), best of %d rounds, GFLOP/s:%n", ROUNDS);
        out.printf(Locale.ROOT, "  %-16s", "m x k x n");
        for (int t : gflops.keySet()) out.printf(Locale.ROOT, " %10s", t + (t == 1 ? " thread" : " threads"));
        out.println();
        for (Shape s : gflops.values().iterator().next().keySet()) {
            out.printf(Locale.ROOT, "  %-16s", s);
            for (Map<Shape, Double> row : gflops.values()) out.printf(Locale.ROOT, " %10.1f", row.get(s));
            out.println();
        }
        out.printf(Locale.ROOT, "  %-16s", "per CPU-second");
        for (double v : perCpuSecond.values()) out.printf(Locale.ROOT, " %10.1f", v);
        out.println("   (1024^3; with 2 threads, per core-second)");
        out.printf(Locale.ROOT, "peak for the ratios below: %.1f GFLOP/s, %.1f per CPU-second (%s, %d BLAS thread%s)%n", peak(threadsInUse),
                peakPerCpuSecond(threadsInUse), SQUARE, threadsInUse, threadsInUse == 1 ? "" : "s");
    }
}
