package org.cinelab.spark;

import org.apache.spark.SparkConf;
import org.cinelab.data.sets.SyntheticMovieLens;
import org.cinelab.runner.ExecutorProvider;
import org.cinelab.runner.ExperimentRunner;
import org.cinelab.runner.RunOptions;
import org.cinelab.spec.ExperimentSpec;
import org.cinelab.spec.SpecLoader;
import org.cinelab.tracking.MlflowFileStore;

import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Locale;

/**
 * The driver's cost per trial segment with {@code --executor spark} against the local runner: N
 * one-epoch trials of a tiny biased-MF model (each trial one segment, finished in the same task) run
 * by the local executor on one thread and by the Spark executor on the given master, after a warm-up
 * run of each; the difference per trial is what Spark adds (job submission, task serialization,
 * scheduling, the result's way back, the executor-side set-up of each task). The two are alternated,
 * three times each, and the best time of each counts.
 *
 * <pre>spark-submit --master local[1] --class org.cinelab.spark.SparkOverheadBenchmark cinelab-spark-all.jar [--trials N]</pre>
 */
public final class SparkOverheadBenchmark {
    private SparkOverheadBenchmark() {}

    public static void main(String[] args) throws Exception {
        int trials = 100;
        String master = null;
        for (int i = 0; i + 1 < args.length; i += 2) {
            if (args[i].equals("--trials")) trials = Integer.parseInt(args[i + 1]);
            else if (args[i].equals("--master")) master = args[i + 1];
        }
        if (master == null) master = new SparkConf().get("spark.master", "local[1]");
        Path tmp = Files.createTempDirectory("cinelab-bench-spark");
        Path data = tmp.resolve("data");
        SyntheticMovieLens.write(data, 8000, 2000, 1);
        Path specFile = Files.writeString(tmp.resolve("bench.yaml"), """
                experiment: {name: bench-spark}
                seed: 1
                dataset: {name: movielens-100k, split: u1}
                model: {type: biased-mf, params: {factors: 2}}
                search: {sampler: random, scheduler: none, trials: %d, max_epochs: 1}
                space:
                  lr: {loguniform: [0.001, 0.01]}
                objective: {metric: rmse, mode: min}
                """.formatted(trials));
        ExperimentSpec spec = SpecLoader.load(specFile);
        PrintWriter quiet = new PrintWriter(java.io.Writer.nullWriter());
        PrintWriter out = new PrintWriter(System.out, true);

        double local = Double.MAX_VALUE, spark = Double.MAX_VALUE;
        try (ExecutorProvider.Session session = new SparkExecutorProvider().open(
                new ExecutorProvider.Request(master, tmp.resolve("spark-state").toString(), false, 1, "cinelab-bench-spark", quiet))) {
            run(spec, tmp.resolve("local-warm"), data, null);
            run(spec, tmp.resolve("spark-warm"), data, session);
            // Alternated, best of three: the machine's load and the JIT move both alike.
            for (int round = 0; round < 3; round++) {
                local = Math.min(local, run(spec, tmp.resolve("local-" + round), data, null));
                spark = Math.min(spark, run(spec, tmp.resolve("spark-" + round), data, session));
            }
        }
        out.printf(Locale.ROOT, "trials: %d (one 1-epoch segment each, biased-mf factors=2, 8,000 ratings), master %s, one slot; best of 3%n",
                trials, master);
        out.printf(Locale.ROOT, "local executor: %.3f s  (%.1f ms per segment)%n", local, 1000 * local / trials);
        out.printf(Locale.ROOT, "spark executor: %.3f s  (%.1f ms per segment)%n", spark, 1000 * spark / trials);
        out.printf(Locale.ROOT, "driver overhead of Spark: %.1f ms per segment%n", 1000 * (spark - local) / trials);
        System.exit(0);
    }

    /** Seconds to run the search once; with {@code session} on its Spark executor, on one slot. */
    private static double run(ExperimentSpec spec, Path dir, Path data, ExecutorProvider.Session session) throws Exception {
        PrintWriter quiet = new PrintWriter(java.io.Writer.nullWriter());
        RunOptions options = new RunOptions(1, false, data, dir.resolve("state"), quiet);
        try (MlflowFileStore store = new MlflowFileStore(dir.resolve("mlruns"))) {
            if (session != null) options = options.withExecutor(session.factory(dir.resolve("mlruns").toString(), data, true));
            long t0 = System.nanoTime();
            new ExperimentRunner(spec, store, options).run();
            return (System.nanoTime() - t0) / 1e9;
        }
    }
}
