package org.cinelab.bench;

import org.cinelab.data.netflix.NetflixGenerator;
import org.cinelab.data.netflix.NetflixPrizeRatings;
import org.cinelab.data.netflix.NetflixPrizeReader;

import java.io.PrintStream;
import java.lang.management.ManagementFactory;
import java.lang.management.MemoryPoolMXBean;
import java.lang.management.MemoryType;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Parses a generated Netflix Prize file ({@code combined_data} format) and prints ratings/s and
 * peak heap. The target for 100M ratings is under 60 s and under 3 GB of heap on 2 cores. The
 * generated file is cached by size and seed in {@code --dir} (default: the system temp folder).
 */
public final class NetflixParseBenchmark implements Benchmark {
    static final long DEFAULT_RATINGS = 100_000_000L;
    static final long SEED = 20_060_101L;

    public NetflixParseBenchmark() {}

    @Override
    public String name() { return "netflix-parse"; }

    @Override
    public String description() {
        return "parse N generated Netflix Prize ratings (default 100M): ratings/s and peak heap "
                + "[--ratings N] [--dir DIR] [--threads T]";
    }

    @Override
    public void run(String[] args, PrintStream out) throws Exception {
        long ratings = DEFAULT_RATINGS;
        Path dir = Path.of(System.getProperty("java.io.tmpdir"), "cinelab-bench");
        int threads = Runtime.getRuntime().availableProcessors();
        for (int i = 0; i < args.length; i++) {
            String value = i + 1 < args.length ? args[i + 1] : null;
            switch (args[i]) {
                case "--ratings" -> ratings = Long.parseLong(required(args[i], value).replace("_", ""));
                case "--dir" -> dir = Path.of(required(args[i], value));
                case "--threads" -> threads = Integer.parseInt(required(args[i], value));
                default -> throw new IllegalArgumentException("unknown option " + args[i]
                        + " (expected --ratings N, --dir DIR, --threads T)");
            }
            i++;
        }
        Path file = dir.resolve("netflix-synthetic-" + ratings + "-seed" + SEED + ".txt");
        if (Files.isRegularFile(file)) {
            out.printf(Locale.ROOT, "reusing %s (%,d bytes)%n", file, Files.size(file));
        } else {
            out.printf(Locale.ROOT, "generating %,d ratings into %s ...%n", ratings, file);
            long t0 = System.nanoTime();
            NetflixGenerator.write(file, ratings, SEED);
            out.printf(Locale.ROOT, "generated %,d bytes in %.1f s%n", Files.size(file), (System.nanoTime() - t0) / 1e9);
        }

        System.gc();
        long baseline = usedHeap();
        List<MemoryPoolMXBean> heapPools = ManagementFactory.getMemoryPoolMXBeans().stream()
                .filter(p -> p.getType() == MemoryType.HEAP).toList();
        heapPools.forEach(MemoryPoolMXBean::resetPeakUsage);
        HeapSampler sampler = new HeapSampler();
        sampler.start();
        long t0 = System.nanoTime();
        NetflixPrizeRatings parsed = new NetflixPrizeReader().threads(threads).read(List.of(file));
        double seconds = (System.nanoTime() - t0) / 1e9;
        sampler.halt();
        long poolPeaks = heapPools.stream().mapToLong(p -> p.getPeakUsage().getUsed()).sum();
        System.gc();
        long retained = usedHeap() - baseline;

        out.printf(Locale.ROOT, "parsed %,d ratings (%,d users, %,d movies) in %.2f s with %d threads%n",
                parsed.size(), parsed.users().size(), parsed.movies().size(), seconds, threads);
        out.printf(Locale.ROOT, "throughput: %,.0f ratings/s%n", parsed.size() / seconds);
        out.printf(Locale.ROOT, "peak heap used (sampled every 5 ms): %s%n", mib(sampler.peak()));
        out.printf(Locale.ROOT, "peak heap used (sum of per-pool peaks, an upper bound): %s%n", mib(poolPeaks));
        out.printf(Locale.ROOT, "heap retained by the table after GC: %s%n", mib(retained));
        out.printf(Locale.ROOT, "max heap (-Xmx): %s%n", mib(Runtime.getRuntime().maxMemory()));
    }

    private static String required(String option, String value) {
        if (value == null) throw new IllegalArgumentException(option + " needs a value");
        return value;
    }

    private static long usedHeap() {
        return ManagementFactory.getMemoryMXBean().getHeapMemoryUsage().getUsed();
    }

    private static String mib(long bytes) {
        return String.format(Locale.ROOT, "%,d MiB", bytes >> 20);
    }

    private static final class HeapSampler extends Thread {
        private final AtomicLong peak = new AtomicLong();
        private volatile boolean running = true;

        HeapSampler() {
            super("heap-sampler");
            setDaemon(true);
        }

        @Override
        public void run() {
            while (running) {
                peak.accumulateAndGet(usedHeap(), Math::max);
                try {
                    Thread.sleep(5);
                } catch (InterruptedException e) {
                    return;
                }
            }
        }

        void halt() throws InterruptedException {
            running = false;
            join();
            peak.accumulateAndGet(usedHeap(), Math::max);
        }

        long peak() { return peak.get(); }
    }
}
