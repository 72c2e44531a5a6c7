package org.cinelab.bench;

import org.cinelab.data.DatasetRequest;
import org.cinelab.data.sets.NetflixTitlesDataset;
import org.cinelab.data.catalog.DataDirs;
import org.cinelab.data.text.TextSplits;
import org.cinelab.models.dec.TsneProjection;

import java.io.PrintStream;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * The t-SNE figure of S1's clustering runs ({@code model/cluster_scatter_tsne.png}) on the 5,277 movie titles
 * of the seed 001 notebook (cleaned 8,807-row catalogue, Movies only): wall time and peak heap of the
 * seeded Barnes-Hut t-SNE (1,000 iterations) of their TF-IDF rows (2,000 terms, reduced to 50 by PCA first)
 * and of a 10-column slice of them (the width of DEC's embedding).
 */
public final class TsneBenchmark implements Benchmark {
    @Override
    public String name() { return "tsne"; }

    @Override
    public String description() {
        return "t-SNE of the 5,277 movie titles (seed 001 notebook): wall time and peak heap, 2,000-term TF-IDF and 10-d input [--data-dir D]";
    }

    @Override
    public void run(String[] args, PrintStream out) throws Exception {
        Path dataDir = null;
        for (int a = 0; a < args.length; a++) {
            if (args[a].equals("--data-dir")) dataDir = Path.of(args[++a]);
            else throw new IllegalArgumentException("unknown argument '" + args[a] + "'; expected --data-dir DIR");
        }
        TextSplits data = (TextSplits) new NetflixTitlesDataset().load(new DatasetRequest("random", Map.of("version", 8807, "clean", true,
                "type", "Movie", "representation", "tfidf", "max_features", 2000), 1, DataDirs.resolve(dataDir), m -> { }));
        List<float[]> rows = new ArrayList<>();
        for (TextSplits.Part p : List.of(data.train(), data.validation(), data.test())) {
            for (float[] r : p.sparse() != null ? p.sparse().toDenseFloat() : p.dense()) rows.add(r);
        }
        float[][] tfidf = rows.toArray(new float[0][]);
        float[][] narrow = new float[tfidf.length][];
        for (int i = 0; i < tfidf.length; i++) narrow[i] = java.util.Arrays.copyOf(tfidf[i], 10);
        out.printf("%d titles; Barnes-Hut t-SNE, perplexity %.0f, theta %.1f, %d iterations, %d worker threads%n", tfidf.length,
                TsneProjection.PERPLEXITY, TsneProjection.THETA, TsneProjection.ITERATIONS,
                java.util.concurrent.ForkJoinPool.commonPool().getParallelism());
        HeapPeak heap = new HeapPeak();
        heap.start();
        try {
            time(out, heap, narrow.length + " x 10 (DEC embedding width)", narrow);
            time(out, heap, tfidf.length + " x " + tfidf[0].length + " TF-IDF (PCA to 50 first)", tfidf);
        } finally {
            heap.halt();
        }
    }

    /** CPU time of the whole process: the gradient runs on the common fork-join pool, not only this thread. */
    private static long processCpuNanos() {
        return java.lang.management.ManagementFactory.getOperatingSystemMXBean() instanceof com.sun.management.OperatingSystemMXBean os
                ? os.getProcessCpuTime() : -1;
    }

    private static void time(PrintStream out, HeapPeak heap, String label, float[][] x) {
        System.gc();
        heap.takePeak();
        long t0 = System.nanoTime();
        long cpu0 = processCpuNanos();
        double[][] y = TsneProjection.project(x, 1);
        double seconds = (System.nanoTime() - t0) / 1e9;
        double cpu = (processCpuNanos() - cpu0) / 1e9;
        out.printf("  %-40s %7.1f s wall, %7.1f s CPU (process), peak heap %,d MB, %d points%n", label, seconds, cpu,
                heap.takePeak() >> 20, y.length);
        out.flush();
    }
}
