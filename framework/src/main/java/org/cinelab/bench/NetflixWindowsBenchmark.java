package org.cinelab.bench;

import org.cinelab.data.RatingTable;
import org.cinelab.data.netflix.NetflixGenerator;
import org.cinelab.data.netflix.NetflixPrizeRatings;
import org.cinelab.data.netflix.NetflixPrizeReader;
import org.cinelab.data.split.RatingSplitter;
import org.cinelab.data.split.SlidingWindows;
import org.cinelab.data.split.TimeSplit;
import org.cinelab.data.split.TopUsersItems;

import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;

/**
 * The Netflix study's data path at full scale: parse N generated ratings (default 100M, the file
 * cached as by {@code netflix-parse}), keep the top 10,000 users x top 2,000 movies, index the
 * per-user sliding windows of length 10, cut them by time (10 % validation, 10 % test) and
 * shuffle the training windows; prints the time and peak heap of each stage.
 */
public final class NetflixWindowsBenchmark implements Benchmark {
    private static final String USAGE = "--ratings N, --dir DIR, --threads T, --top-users U, --top-items M, --window W";

    @Override
    public String name() { return "netflix-windows"; }

    @Override
    public String description() {
        return "parse N generated Netflix ratings (default 100M), top-U x top-M filter, sliding windows index: time and peak heap "
                + "per stage [" + USAGE.replace(", ", "] [") + "]";
    }

    @Override
    public void run(String[] args, PrintStream out) throws Exception {
        long ratings = NetflixParseBenchmark.DEFAULT_RATINGS;
        Path dir = Path.of(System.getProperty("java.io.tmpdir"), "cinelab-bench");
        int threads = Runtime.getRuntime().availableProcessors();
        int topUsers = 10_000, topItems = 2_000, window = 10;
        for (int i = 0; i < args.length; i += 2) {
            String value = i + 1 < args.length ? args[i + 1] : null;
            if (value == null) throw new IllegalArgumentException(args[i] + " needs a value");
            switch (args[i]) {
                case "--ratings" -> ratings = Long.parseLong(value.replace("_", ""));
                case "--dir" -> dir = Path.of(value);
                case "--threads" -> threads = Integer.parseInt(value);
                case "--top-users" -> topUsers = Integer.parseInt(value);
                case "--top-items" -> topItems = Integer.parseInt(value);
                case "--window" -> window = Integer.parseInt(value);
                default -> throw new IllegalArgumentException("unknown option " + args[i] + " (expected " + USAGE + ")");
            }
        }
        Path file = dir.resolve("netflix-synthetic-" + ratings + "-seed" + NetflixParseBenchmark.SEED + ".txt");
        if (Files.isRegularFile(file)) {
            out.printf(Locale.ROOT, "reusing %s (%,d bytes)%n", file, Files.size(file));
        } else {
            out.printf(Locale.ROOT, "generating %,d ratings into %s ...%n", ratings, file);
            long t0 = System.nanoTime();
            NetflixGenerator.write(file, ratings, NetflixParseBenchmark.SEED);
            out.printf(Locale.ROOT, "generated %,d bytes in %.1f s%n", Files.size(file), seconds(t0));
        }

        System.gc();
        HeapPeak heap = new HeapPeak();
        heap.start();
        long total = System.nanoTime();

        long t0 = System.nanoTime();
        NetflixPrizeRatings parsed = new NetflixPrizeReader().threads(threads).read(List.of(file));
        stage(out, heap, "parse", t0, String.format(Locale.ROOT, "%,d ratings, %,d users, %,d movies",
                parsed.size(), parsed.users().size(), parsed.movies().size()));

        t0 = System.nanoTime();
        TopUsersItems.Filtered f = TopUsersItems.filter(parsed.ratings(), parsed.users().size(), parsed.movies().size(), topUsers, topItems);
        RatingTable kept = f.table();
        int users = f.oldUser().length, items = f.oldItem().length;
        parsed = null;
        stage(out, heap, "top " + topUsers + " x " + topItems, t0, String.format(Locale.ROOT,
                "kept %,d ratings, %,d users, %,d items, density %.2f%%", kept.size(), users, items,
                100 * RatingSplitter.density(kept.size(), users, items)));

        t0 = System.nanoTime();
        SlidingWindows windows = SlidingWindows.build(kept, users, window);
        stage(out, heap, "windows (W=" + window + ")", t0, String.format(Locale.ROOT, "%,d windows", windows.size()));

        t0 = System.nanoTime();
        SlidingWindows.Parts parts = windows.byTime(0.1, 0.1);
        stage(out, heap, "time cut 80/10/10", t0, String.format(Locale.ROOT, "train %,d, validation %,d, test %,d windows",
                parts.train().size(), parts.validation().size(), parts.test().size()));

        t0 = System.nanoTime();
        int[] order = parts.train().shuffled(NetflixParseBenchmark.SEED);
        int[] items10 = new int[window];
        float[] ratings10 = new float[window];
        long[] gaps10 = new long[window];
        double checksum = 0;
        for (int w : order) {
            windows.fill(w, items10, ratings10, gaps10);
            checksum += ratings10[window - 1];
        }
        stage(out, heap, "shuffle + read train", t0, String.format(Locale.ROOT, "%,d windows read, mean label %.3f",
                order.length, order.length == 0 ? 0 : checksum / order.length));

        heap.halt();
        out.printf(Locale.ROOT, "total %.2f s with %d threads; max heap (-Xmx) %s%n", seconds(total), threads, mib(Runtime.getRuntime().maxMemory()));
    }

    private static void stage(PrintStream out, HeapPeak heap, String name, long t0, String what) {
        out.printf(Locale.ROOT, "%-22s %7.2f s  peak heap %9s  %s%n", name, seconds(t0), mib(heap.takePeak()), what);
    }

    private static double seconds(long t0) { return (System.nanoTime() - t0) / 1e9; }

    private static String mib(long bytes) { return String.format(Locale.ROOT, "%,d MiB", bytes >> 20); }
}
