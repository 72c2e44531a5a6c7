package org.cinelab.bench;

import org.cinelab.data.DatasetProvider;
import org.cinelab.data.sets.DatasetRegistry;
import org.cinelab.data.DatasetRequest;
import org.cinelab.data.PreparedData;
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
import java.util.Locale;
import java.util.Map;

/**
 * The Netflix study's (S4) models on a time split: the machine's sgemm peak first, then for each
 * model the training throughput of every epoch after the first (examples/s beside PyTorch's figure
 * where there is one, GFLOP/s as a share of the peak, time and allocations), then the validation and test RMSE after
 * {@code --epochs N}, beside the study's numbers. Default data: MovieLens latest-small, time split
 * 70/10/20; {@code --dataset netflix-prize} reads the imported Netflix folder. {@code --set
 * model.key=value} overrides a setting, e.g. {@code --set time-lstm.units=64}.
 */
public final class S4Benchmark implements Benchmark {
    static final List<String> MODELS = List.of("biased-mf", "embedding-dense", "time-lstm");
    /** embedding-dense's products at batch 256 (128 -> 256 -> 128 -> 64). */
    private static final List<SgemmPeak.Shape> SHAPES = List.of(new SgemmPeak.Shape(256, 128, 256), new SgemmPeak.Shape(256, 256, 128));
    private static final Map<String, String> STUDY = Map.of(
            "embedding-dense", "study: 0.737 test RMSE (top 10k users x 2k movies)",
            "time-lstm", "study: 0.7602 test RMSE, 678,874 params");

    @Override
    public String name() { return "s4"; }

    @Override
    public String description() {
        return "S4 models (biased-mf, embedding-dense, time-lstm) on a time split: examples/s, GFLOP/s, RMSE "
                + "[--dataset D] [--models a,b] [--epochs N] [--set m.k=v] [--top-users U] [--top-items M] [--data-dir D]";
    }

    @Override
    public void run(String[] args, PrintStream out) throws Exception {
        String dataset = "movielens-latest-small";
        List<String> models = new ArrayList<>(MODELS);
        int epochs = 3;
        Path dataDir = null;
        Map<String, Object> options = new LinkedHashMap<>(Map.of("validation_ratio", 0.1, "test_ratio", 0.2));
        Map<String, Map<String, Object>> overrides = new LinkedHashMap<>();
        for (int a = 0; a < args.length; a++) {
            switch (args[a]) {
                case "--dataset" -> dataset = args[++a];
                case "--models" -> models = List.of(args[++a].split(","));
                case "--epochs" -> epochs = Integer.parseInt(args[++a]);
                case "--data-dir" -> dataDir = Path.of(args[++a]);
                case "--top-users" -> options.put("top_users", Integer.parseInt(args[++a]));
                case "--top-items" -> options.put("top_items", Integer.parseInt(args[++a]));
                case "--set" -> BenchArgs.set(overrides, args[++a]);
                default -> throw new IllegalArgumentException("unknown argument '" + args[a] + "'; expected --dataset D | --models a,b | --epochs N"
                        + " | --set model.key=value | --top-users U | --top-items M | --data-dir DIR");
            }
        }
        if (epochs < 2) throw new IllegalArgumentException("--epochs must be >= 2 (the first epoch is a warm-up)");
        DatasetProvider provider = DatasetRegistry.find(dataset)
                .orElseThrow(() -> new IllegalArgumentException("unknown dataset; known: " + DatasetRegistry.all().keySet()));
        long t0 = System.nanoTime();
        PreparedData prepared = provider.load(new DatasetRequest("time", options, 42, DataDirs.resolve(dataDir), m -> {}));
        RatingSplits data = (RatingSplits) prepared;
        out.printf(Locale.ROOT, "%s time split: %,d / %,d / %,d ratings (train/validation/test), %,d users, %,d movies, loaded in %.1f s%n",
                dataset, data.train().size(), data.validation().size(), data.test().size(), data.numUsers(), data.numItems(),
                (System.nanoTime() - t0) / 1e9);
        int threads = BenchThreads.configure(out);
        SgemmPeak peak = SgemmPeak.measure(SHAPES, SgemmPeak.defaultThreadCounts());
        peak.print(out, threads);
        PyTorchSitting pytorch = PyTorchSitting.find(out);
        for (String type : models) {
            ModelFactory f = ModelRegistry.find(type).orElse(null);
            if (f == null) {
                out.printf("%-16s not registered%n", type);
                continue;
            }
            Hyperparams params = Hyperparams.resolve(f.hyperParameters(), overrides.getOrDefault(type, Map.of()), Map.of());
            long c0 = System.nanoTime();
            TrialModel m = f.create(params, data, 1);
            double setup = (System.nanoTime() - c0) / 1e9;
            m.trainEpoch(1);
            TrainingMeter.Figures figures = TrainingMeter.measure(m::trainEpoch, 2, epochs - 1);
            if (m instanceof ThroughputProbe probe) ThroughputReport.print(out, type, type, figures, probe, peak, threads, pytorch);
            out.printf(Locale.ROOT, "%-24s epoch %.2f s, set-up %.1f s, %,d params; after %d epochs validation RMSE %.4f, test RMSE %.4f MAE %.4f%s%n",
                    m instanceof ThroughputProbe ? "" : type, figures.meanSeconds(), setup, m.parameterCount(), epochs, m.evaluate(TrialModel.Split.VALIDATION).get("rmse"),
                    m.evaluate(TrialModel.Split.TEST).get("rmse"), m.evaluate(TrialModel.Split.TEST).get("mae"),
                    STUDY.containsKey(type) ? "  | " + STUDY.get(type) : "");
        }
    }
}
