package org.cinelab.bench;

import org.cinelab.models.TestFunction;
import org.cinelab.search.Objective;
import org.cinelab.search.Sampler;
import org.cinelab.search.Search;
import org.cinelab.search.SearchSettings;
import org.cinelab.search.SearchState;
import org.cinelab.search.TrialRecord;
import org.cinelab.spec.ExperimentSpec;
import org.cinelab.spec.SpecLoader;

import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Random;
import java.util.stream.Stream;

/**
 * {@code cinelab bench search}: how well and how fast the samplers and schedulers search.
 * <ol>
 *   <li>regret: Hartmann-6, {@code --trials} (100) trials, {@code --seeds} (20) seeds: median and
 *   quartiles of the simple regret of random, sobol, tpe and multivariate tpe, and tpe / random.
 *   Driven through the Search API with the benchmark-function model evaluated in place (the same
 *   suggestions the engine makes, without its per-trial logging); {@code --engine} runs every
 *   search through ExperimentRunner on a temporary MLflow file store instead.</li>
 *   <li>speed: the sampler's own time per suggestion with 100 and 1,000 finished trials of history.</li>
 *   <li>schedulers: ASHA against Hyperband at {@code --parallel} (2) workers on the converging
 *   Hartmann-6 (each epoch sleeping {@code --epoch-ms}, 50, times a per-trial factor in [0.5, 1.5)),
 *   through the real engine, with random sampling so that only the scheduler differs and ASHA
 *   starting as many configurations as Hyperband: wall time, the time each needed to reach the
 *   objective both reached, the share of worker time spent idle, and epochs trained. With
 *   {@code --spec FILE} (a Hyperband spec; {@code --data-dir DIR}) the same on that spec.</li>
 *   <li>samplers on a spec (with {@code --spec}): tpe (with the constant liar) against random, both
 *   under the spec's scheduler: best validation objective and epochs trained.</li>
 * </ol>
 * {@code --parts regret,speed,schedulers,samplers} chooses what runs.
 */
public final class SearchBenchmark implements Benchmark {

    @Override
    public String name() { return "search"; }

    @Override
    public String description() {
        return "sampler regret on Hartmann-6 (tpe vs random vs sobol), time per suggestion, ASHA vs Hyperband"
                + " [--seeds N] [--trials N] [--engine] [--parallel N] [--epoch-ms N] [--spec FILE --data-dir DIR] [--parts ...]";
    }

    private record Args(int seeds, int trials, boolean engine, int parallel, int epochMs, Path spec, Path dataDir, List<String> parts) {
        static Args parse(String[] a) {
            int seeds = 20, trials = 100, parallel = 2, epochMs = 50;
            boolean engine = false;
            Path spec = null, dataDir = Path.of("datasets/cache");
            List<String> parts = null;
            for (int i = 0; i < a.length; i++) {
                String v = i + 1 < a.length ? a[i + 1] : null;
                switch (a[i]) {
                    case "--seeds" -> { seeds = Integer.parseInt(v); i++; }
                    case "--trials" -> { trials = Integer.parseInt(v); i++; }
                    case "--parallel" -> { parallel = Integer.parseInt(v); i++; }
                    case "--epoch-ms" -> { epochMs = Integer.parseInt(v); i++; }
                    case "--spec" -> { spec = Path.of(v); i++; }
                    case "--data-dir" -> { dataDir = Path.of(v); i++; }
                    case "--parts" -> { parts = List.of(v.split(",")); i++; }
                    case "--engine" -> engine = true;
                    default -> throw new IllegalArgumentException("unknown option '" + a[i] + "'; options: --seeds N, --trials N,"
                            + " --engine, --parallel N, --epoch-ms N, --spec FILE, --data-dir DIR, --parts regret,speed,schedulers,samplers");
                }
            }
            if (parts == null) parts = spec == null ? List.of("regret", "speed", "schedulers") : List.of("schedulers", "samplers");
            return new Args(seeds, trials, engine, parallel, epochMs, spec, dataDir, parts);
        }
    }

    @Override
    public void run(String[] args, PrintStream out) throws Exception {
        Args a = Args.parse(args);
        out.printf("machine: %d cores, load average %s%n", Runtime.getRuntime().availableProcessors(), loadAverage());
        Path tmp = Files.createTempDirectory("cinelab-bench-search");
        try {
            if (a.parts().contains("regret")) regret(a, tmp.resolve("regret"), out);
            if (a.parts().contains("speed")) speed(out);
            if (a.parts().contains("schedulers")) schedulers(a, tmp.resolve("schedulers"), out);
            if (a.parts().contains("samplers")) {
                if (a.spec() == null) throw new IllegalArgumentException("--parts samplers needs --spec FILE");
                samplersOnSpec(a, tmp.resolve("samplers"), out);
            }
        } finally {
            deleteTree(tmp);
        }
        out.printf("load average at the end: %s%n", loadAverage());
    }

    private static void regret(Args a, Path tmp, PrintStream out) throws Exception {
        out.printf("%n== Simple regret on Hartmann-6 (minimum %.5f): %d trials, %d seeds, %s ==%n", TestFunction.HARTMANN6.minimum(),
                a.trials(), a.seeds(), a.engine() ? "each search run by ExperimentRunner (file store, one worker)"
                        : "Search API with the model evaluated in place (--engine: through ExperimentRunner)");
        out.printf("%-18s %10s %10s %10s %10s%n", "sampler", "q1", "median", "q3", "seconds");
        double randomMedian = Double.NaN;
        for (SamplerRegret.Variant v : SamplerRegret.VARIANTS) {
            double[] r = new double[a.seeds()];
            long t0 = System.nanoTime();
            for (int s = 0; s < a.seeds(); s++) {
                r[s] = a.engine() ? SamplerRegret.engine(v, s + 1, a.trials(), tmp) : SamplerRegret.direct(v, s + 1, a.trials());
            }
            double seconds = (System.nanoTime() - t0) / 1e9;
            Arrays.sort(r);
            out.printf(Locale.ROOT, "%-18s %10.4f %10.4f %10.4f %10.1f%n", v.label(), quantile(r, 0.25), quantile(r, 0.5),
                    quantile(r, 0.75), seconds);
            if (v.label().equals("random")) randomMedian = quantile(r, 0.5);
            else out.printf(Locale.ROOT, "%-18s median regret %s / random = %.3f%n", "", v.label(), quantile(r, 0.5) / randomMedian);
        }
    }

    private static void speed(PrintStream out) {
        out.printf("%n== Time per suggestion (the sampler alone; Hartmann-6 space, finished trials of random points) ==%n");
        out.printf("%-18s %14s %14s%n", "sampler", "100 trials", "1,000 trials");
        for (SamplerRegret.Variant v : SamplerRegret.VARIANTS) {
            out.printf(Locale.ROOT, "%-18s %11.3f ms %11.3f ms%n", v.label(), msPerSuggestion(v, 100), msPerSuggestion(v, 1000));
        }
    }

    /** Mean time of suggestions number n, n + 1, ... against the same history of n finished trials, after a warm-up. */
    private static double msPerSuggestion(SamplerRegret.Variant v, int n) {
        SearchSettings settings = SearchSettings.of(v.sampler(), n + 1000, "none", 1, 3, 1).withSamplerOptions(v.options());
        Sampler sampler = Search.of(settings, SamplerRegret.HARTMANN_SPACE, 1, SamplerRegret.VALUE).sampler();
        SearchState history = new SearchState(SamplerRegret.VALUE, null);
        Random rng = new Random(n);
        for (int i = 0; i < n; i++) {
            double[] x = rng.doubles(6).toArray();
            Map<String, Object> values = new java.util.TreeMap<>();
            for (int j = 0; j < 6; j++) values.put("x" + (j + 1), x[j]);
            TrialRecord r = new TrialRecord(String.format("t%04d", i + 1), i, 0, values, i, 1);
            history.add(r);
            r.report(1, TestFunction.HARTMANN6.value(x));
            r.status(TrialRecord.Status.FINISHED);
        }
        int warm = 5, reps = n >= 1000 ? 20 : 100;
        for (int i = 0; i < warm; i++) sampler.suggest(n + i, history);
        long t0 = System.nanoTime();
        for (int i = 0; i < reps; i++) sampler.suggest(n + warm + i, history);
        return (System.nanoTime() - t0) / 1e6 / reps;
    }

    private static void schedulers(Args a, Path tmp, PrintStream out) throws Exception {
        List<ExperimentSpec> pair = new ArrayList<>();
        String what;
        if (a.spec() == null) {
            Path file = Files.createDirectories(tmp).resolve("converging-hartmann6.yaml");
            StringBuilder yaml = new StringBuilder("""
                    experiment: {name: bench-search-schedulers}
                    seed: 1
                    dataset: {name: none}
                    model: {type: benchmark-function, params: {function: hartmann6-converging, epoch_millis: %d}}
                    search: {sampler: random, scheduler: hyperband, max_epochs: 27, eta: 3}
                    objective: {metric: value, mode: min}
                    space:
                    """.formatted(a.epochMs()));
            for (int i = 1; i <= 6; i++) yaml.append("  x").append(i).append(": {uniform: [0, 1]}\n");
            Files.writeString(file, yaml, StandardCharsets.UTF_8);
            pair.add(SpecLoader.load(file));
            what = "converging Hartmann-6, epochs of " + a.epochMs() + " ms x [0.5, 1.5) per trial, sampler random";
        } else {
            pair.add(SpecLoader.load(a.spec()));
            what = a.spec().toString();
        }
        ExperimentSpec hyperband = pair.get(0);
        if (!hyperband.search().scheduler().equals("hyperband")) {
            throw new IllegalArgumentException(hyperband.file() + ": the scheduler comparison starts from a hyperband spec, this one has "
                    + hyperband.search().scheduler());
        }
        int configurations = Search.of(hyperband.search(), hyperband.space(), hyperband.seed(), hyperband.objective()).scheduler().maxTrials();
        ExperimentSpec asha = SpecLoader.load(hyperband.file(), List.of("search.scheduler=asha", "search.trials=" + configurations));
        out.printf("%n== ASHA vs Hyperband at --parallel %d: %s; both start %d configurations ==%n", a.parallel(), what, configurations);
        SchedulerRace.Outcome hb = SchedulerRace.run("hyperband", hyperband, a.parallel(), a.dataDir(), tmp.resolve("hyperband"));
        SchedulerRace.Outcome as = SchedulerRace.run("asha", asha, a.parallel(), a.dataDir(), tmp.resolve("asha"));
        Objective objective = hyperband.objective();
        double target = objective.isBetter(hb.best(), as.best()) ? as.best() : hb.best();
        out.printf(Locale.ROOT, "%-10s %9s %8s %8s %12s %14s %12s%n", "scheduler", "wall (s)", "idle", "epochs", "best val_" + objective.metric(),
                "s to reach " + fmt(target), "trials");
        for (SchedulerRace.Outcome o : List.of(hb, as)) {
            out.printf(Locale.ROOT, "%-10s %9.1f %7.1f%% %8d %12s %14.1f %12d%n", o.label(), o.seconds(), 100 * o.idleFraction(), o.epochs(),
                    fmt(o.best()), o.secondsToReach(target), o.trials());
        }
        out.printf(Locale.ROOT, "time to the common best: asha / hyperband = %.2f%n", as.secondsToReach(target) / hb.secondsToReach(target));
    }

    private static void samplersOnSpec(Args a, Path tmp, PrintStream out) throws Exception {
        ExperimentSpec base = SpecLoader.load(a.spec());
        out.printf("%n== Samplers under %s's scheduler (%s), --parallel %d ==%n", a.spec(), base.search().scheduler(), a.parallel());
        out.printf("%-8s %12s %8s %9s%n", "sampler", "best val_" + base.objective().metric(), "epochs", "wall (s)");
        for (String sampler : List.of("random", "{type: tpe, constant_liar: true}")) {
            ExperimentSpec spec = SpecLoader.load(a.spec(), List.of("search.sampler=" + sampler));
            String label = spec.search().sampler();
            SchedulerRace.Outcome o = SchedulerRace.run(label, spec, a.parallel(), a.dataDir(), tmp.resolve(label));
            out.printf(Locale.ROOT, "%-8s %12s %8d %9.1f%n", label, fmt(o.best()), o.epochs(), o.seconds());
        }
    }

    private static String fmt(double v) { return String.format(Locale.ROOT, "%.4f", v); }

    static double quantile(double[] sorted, double q) {
        double pos = q * (sorted.length - 1);
        int lo = (int) Math.floor(pos), hi = (int) Math.ceil(pos);
        return sorted[lo] + (pos - lo) * (sorted[hi] - sorted[lo]);
    }

    private static String loadAverage() {
        try {
            return Files.readString(Path.of("/proc/loadavg")).trim();
        } catch (IOException e) {
            return String.format(Locale.ROOT, "%.2f (1 min)", java.lang.management.ManagementFactory.getOperatingSystemMXBean().getSystemLoadAverage());
        }
    }

    private static void deleteTree(Path dir) throws IOException {
        if (!Files.exists(dir)) return;
        try (Stream<Path> s = Files.walk(dir)) {
            for (Path p : s.sorted(Comparator.reverseOrder()).toList()) Files.deleteIfExists(p);
        }
    }
}
