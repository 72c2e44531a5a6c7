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
import org.nd4j.linalg.factory.Nd4j;

import java.io.PrintStream;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Training throughput of the DL4J recommender models on MovieLens-100k u1 with their default
 * settings: one warm-up epoch, then the mean of three timed epochs, printed as examples/s and GFLOP/s beside the
 * PyTorch figures of DEPENDENCIES.md. With {@code --epochs N} each model instead trains N epochs
 * and its test errors are printed too (the quality bars). {@code --set model.key=value} overrides
 * a setting, e.g. {@code --set autorec.blas_threads=2}.
 */
public final class ModelThroughputBenchmark implements Benchmark {
    private static final int TIMED_EPOCHS = 3;
    static final List<String> MODELS = List.of("stacked-autoencoder", "autorec", "ranking", "dcn", "two-tower");
    private static final Map<String, String> PYTORCH = Map.of(
            "autorec", "PyTorch I-AutoRec: 24,108 ex/s (1 framework + 2 BLAS threads)");

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
                case "--set" -> {
                    String[] kv = args[++a].split("=", 2);
                    int dot = kv[0].indexOf('.');
                    if (kv.length != 2 || dot < 0) throw new IllegalArgumentException("--set " + args[a] + ": expected model.key=value");
                    overrides.computeIfAbsent(kv[0].substring(0, dot), k -> new LinkedHashMap<>()).put(kv[0].substring(dot + 1), parse(kv[1]));
                }
                default -> throw new IllegalArgumentException("unknown argument '" + args[a]
                        + "'; expected --models a,b | --epochs N | --every K | --set model.key=value | --validation-ratio R | --data-dir DIR");
            }
        }
        RatingSplits data = (RatingSplits) new MovieLens100k().load(new DatasetRequest("u1", Map.of("validation_ratio", validationRatio), 42,
                DataDirs.resolve(dataDir), m -> {}));
        out.printf("ML-100k u1: %,d training ratings; OMP_NUM_THREADS=%s, ND4J BLAS threads (default) %d%n",
                data.train().size(), System.getenv().getOrDefault("OMP_NUM_THREADS", "unset"), Nd4j.factory().blas().getMaxThreads());
        for (String type : models) {
            ModelFactory f = ModelRegistry.find(type).orElse(null);
            if (f == null) {
                out.printf("%-20s not registered%n", type);
                continue;
            }
            Hyperparams params = Hyperparams.resolve(f.hyperParameters(), overrides.getOrDefault(type, Map.of()), Map.of());
            TrialModel m = f.create(params, data, 1);
            if (epochs > 0) quality(type, m, epochs, every, out);
            else throughput(type, m, out);
        }
    }

    private static void throughput(String type, TrialModel m, PrintStream out) {
        ThroughputProbe probe = (ThroughputProbe) m;
        m.trainEpoch(1);
        long t0 = System.nanoTime();
        for (int e = 2; e < 2 + TIMED_EPOCHS; e++) m.trainEpoch(e);
        double seconds = (System.nanoTime() - t0) / 1e9 / TIMED_EPOCHS;
        double perSecond = probe.examplesPerEpoch() / seconds;
        out.printf("%-20s %,10.0f %s/s  %6.2f GFLOP/s  (epoch %.2f s, %,d params, BLAS threads %d)%s%n", type, perSecond,
                probe.exampleUnit(), perSecond * probe.trainFlopsPerExample() / 1e9, seconds, m.parameterCount(),
                Nd4j.factory().blas().getMaxThreads(), PYTORCH.containsKey(type) ? "  | " + PYTORCH.get(type) : "");
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

    private static Object parse(String v) {
        if (v.equals("true") || v.equals("false")) return Boolean.parseBoolean(v);
        try {
            return Integer.parseInt(v);
        } catch (NumberFormatException e) {
            try {
                return Double.parseDouble(v);
            } catch (NumberFormatException e2) {
                return v;
            }
        }
    }
}
