package org.cinelab.bench;

import org.cinelab.data.DatasetRequest;
import org.cinelab.data.sets.MovieLens100k;
import org.cinelab.data.RatingSplits;
import org.cinelab.data.catalog.DataDirs;
import org.cinelab.space.Hyperparams;
import org.cinelab.models.ModelFactory;
import org.cinelab.models.zoo.ModelRegistry;
import org.cinelab.models.TrialModel;
import org.cinelab.models.dl4j.ThroughputProbe;

import java.io.PrintStream;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Training throughput of the DL4J recommender models on MovieLens-100k u1 with their default
 * settings (and AutoRec also at batch 256, PyTorch's set-up): the machine's sgemm peak first, then
 * per model one warm-up epoch and three timed ones, printed as examples/s beside PyTorch's figure
 * (DEPENDENCIES.md), GFLOP/s as a share of the peak, and the time and allocations of an epoch.
 * With {@code --epochs N} each model instead trains N epochs and its test errors are printed too
 * (the quality bars). {@code --set model.key=value} overrides a setting, e.g.
 * {@code --set autorec.engine=dl4j} for DL4J's own training loop.
 */
public final class ModelThroughputBenchmark implements Benchmark {
    private static final int TIMED_EPOCHS = 3;
    static final List<String> MODELS = List.of("stacked-autoencoder", "autorec", "autorec batch 256", "ranking", "dcn", "two-tower");
    /** Bench rows that are a model with other settings than its defaults. */
    private static final Map<String, Map<String, Object>> VARIANTS = Map.of("autorec batch 256", Map.of("batch_size", 256));
    private static final List<SgemmPeak.Shape> SHAPES = List.of(new SgemmPeak.Shape(32, 943, 500), new SgemmPeak.Shape(256, 943, 500),
            new SgemmPeak.Shape(256, 64, 256), new SgemmPeak.Shape(1024, 64, 256));

    @Override
    public String name() { return "models"; }

    @Override
    public String description() {
        return "training examples/s and GFLOP/s of the DL4J recommenders on ML-100k u1 [--models a,b] [--epochs N [--every K]] [--set m.k=v] [--validation-ratio R] [--data-dir D]";
    }

    @Override
    public void run(String[] args, PrintStream out) throws Exception {
        List<String> models = new ArrayList<>(MODELS);
        int epochs = 0;
        int every = 0;
        Path dataDir = null;
        double validationRatio = 0.1;
        Map<String, Map<String, Object>> overrides = new LinkedHashMap<>();
        for (int a = 0; a < args.length; a++) {
            switch (args[a]) {
                case "--models" -> models = List.of(args[++a].split(","));
                case "--epochs" -> epochs = Integer.parseInt(args[++a]);
                case "--every" -> every = Integer.parseInt(args[++a]);
                case "--data-dir" -> dataDir = Path.of(args[++a]);
                case "--validation-ratio" -> validationRatio = Double.parseDouble(args[++a]);
                case "--set" -> BenchArgs.set(overrides, args[++a]);
                default -> throw new IllegalArgumentException("unknown argument '" + args[a]
                        + "'; expected --models a,b | --epochs N | --every K | --set model.key=value | --validation-ratio R | --data-dir DIR");
            }
        }
        RatingSplits data = (RatingSplits) new MovieLens100k().load(new DatasetRequest("u1", Map.of("validation_ratio", validationRatio), 42,
                DataDirs.resolve(dataDir), m -> {}));
        int threads = BenchThreads.configure(out);
        out.printf("ML-100k u1: %,d training ratings%n", data.train().size());
        SgemmPeak peak = epochs > 0 ? null : SgemmPeak.measure(SHAPES, SgemmPeak.defaultThreadCounts());
        if (peak != null) peak.print(out, threads);
        PyTorchSitting pytorch = peak == null ? PyTorchSitting.none() : PyTorchSitting.find(out);
        for (String row : models) {
            String type = row.split(" ")[0];
            ModelFactory f = ModelRegistry.find(type).orElse(null);
            if (f == null) {
                out.printf("%-20s not registered%n", type);
                continue;
            }
            Map<String, Object> settings = new LinkedHashMap<>(VARIANTS.getOrDefault(row, Map.of()));
            settings.putAll(overrides.getOrDefault(type, Map.of()));
            Hyperparams params = Hyperparams.resolve(f.hyperParameters(), settings, Map.of());
            TrialModel m = f.create(params, data, 1);
            if (epochs > 0) quality(row, m, epochs, every, out);
            else throughput(row, type, m, peak, threads, pytorch, out);
        }
    }

    private static void throughput(String row, String type, TrialModel m, SgemmPeak peak, int threads, PyTorchSitting pytorch,
                                   PrintStream out) {
        TrainingMeter.Figures f = TrainingMeter.warmUpAndMeasure(m::trainEpoch, TIMED_EPOCHS);
        ThroughputReport.print(out, row, row.equals("autorec") ? "" : type, f, (ThroughputProbe) m, peak, threads, pytorch);
    }

    private static void quality(String type, TrialModel m, int epochs, int every, PrintStream out) {
        long t0 = System.nanoTime();
        double loss = Double.NaN;
        for (int e = 1; e <= epochs; e++) {
            loss = m.trainEpoch(e);
            if (every > 0 && e % every == 0 && e < epochs) {
                out.printf("%-20s epoch %d: train loss %.4f, validation %s, test %s%n", type, e, loss,
                        m.evaluate(TrialModel.Split.VALIDATION), m.evaluate(TrialModel.Split.TEST));
            }
        }
        double seconds = (System.nanoTime() - t0) / 1e9;
        out.printf("%-20s %d epochs in %.1f s, train loss %.4f, validation %s, test %s%n", type, epochs, seconds, loss,
                m.evaluate(TrialModel.Split.VALIDATION), m.evaluate(TrialModel.Split.TEST));
    }
}
