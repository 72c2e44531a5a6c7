package org.cinelab.bench;

import org.cinelab.data.DatasetRequest;
import org.cinelab.data.sets.NetflixTitlesDataset;
import org.cinelab.data.catalog.DataDirs;
import org.cinelab.data.netflix.NetflixTitles.Column;
import org.cinelab.data.text.TextSplits;
import org.cinelab.space.Hyperparams;
import org.cinelab.models.ModelFactory;
import org.cinelab.models.zoo.ModelRegistry;
import org.cinelab.models.TrialModel;
import org.cinelab.models.dl4j.ThroughputProbe;

import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * S1 throughput on the 7,787-title catalogue: the machine's sgemm peak first (the square product
 * and DEC's own shapes), then DEC autoencoder pre-training ({@code dec}, 1500 inputs, 500-500-2000-10
 * and mirror, batch 128) and the embedding + LSTM(64) classifier at sequence lengths 100 and 1500
 * (warm-up and timing as {@link TrainingMeter#warmUpAndMeasure}), as examples/s beside PyTorch's
 * ({@link PyTorchSitting}), GFLOP/s as a share of the peak, and the time and allocations of an epoch. The LSTM trains
 * on 10% of the titles (test_ratio 0.9) so that length 1500 takes seconds, not minutes.
 */
public final class S1Benchmark implements Benchmark {
    /** DEC pre-training's products at batch 128: forward, then the two backward ones, of its widest layers. */
    private static final List<SgemmPeak.Shape> DEC_SHAPES = List.of(new SgemmPeak.Shape(128, 1500, 500), new SgemmPeak.Shape(500, 128, 1500),
            new SgemmPeak.Shape(128, 500, 1500), new SgemmPeak.Shape(128, 500, 2000), new SgemmPeak.Shape(128, 2000, 500));

    @Override
    public String name() { return "s1"; }

    @Override
    public String description() {
        return "S1 throughput: DEC pre-training and embedding+LSTM(64) at lengths 100 and 1500 on netflix-titles [--lengths 100,1500] [--data-dir D] [--skip-dec] [--skip-lstm] [--set dec.key=value]";
    }

    @Override
    public void run(String[] args, PrintStream out) throws Exception {
        Path dataDir = null;
        List<Integer> lengths = List.of(100, 1500);
        boolean dec = true;
        Map<String, Map<String, Object>> overrides = new HashMap<>();
        for (int a = 0; a < args.length; a++) {
            switch (args[a]) {
                case "--data-dir" -> dataDir = Path.of(args[++a]);
                case "--lengths" -> lengths = java.util.Arrays.stream(args[++a].split(",")).map(Integer::valueOf).toList();
                case "--skip-dec" -> dec = false;
                case "--skip-lstm" -> lengths = List.of();
                case "--set" -> BenchArgs.set(overrides, args[++a]);
                default -> throw new IllegalArgumentException("unknown argument '" + args[a]
                        + "'; expected --lengths 100,1500 | --skip-dec | --skip-lstm | --set dec.key=value | --data-dir DIR");
            }
        }
        Path dir = DataDirs.resolve(dataDir);
        int threads = BenchThreads.configure(out);
        SgemmPeak peak = SgemmPeak.measure(DEC_SHAPES, SgemmPeak.defaultThreadCounts());
        peak.print(out, threads);
        PyTorchSitting pytorch = PyTorchSitting.find(out);
        if (dec) {
            TextSplits data = load(dir, Map.of("maxlen", 1500));
            ModelFactory f = ModelRegistry.find("dec").orElseThrow();
            TrialModel m = f.create(Hyperparams.resolve(f.hyperParameters(), overrides.getOrDefault("dec", Map.of()), Map.of()), data, 1);
            ThroughputReport.print(out, "dec", "dec", TrainingMeter.warmUpAndMeasure(m::trainEpoch, 3), (ThroughputProbe) m, peak, threads,
                    pytorch);
        }
        for (int len : lengths) {
            TextSplits data = load(dir, Map.of("maxlen", len, "scale", false, "test_ratio", 0.9, "validation_ratio", 0.0));
            Path labels = genreLabels(data);
            time("text-lstm len " + len, ModelRegistry.find("text-lstm").orElseThrow(), Map.of("labels", labels.toString(),
                    "units", "64", "embedding_dim", 64), data, out, peak, threads, pytorch);
        }
    }

    private static TextSplits load(Path dir, Map<String, Object> options) throws Exception {
        return (TextSplits) new NetflixTitlesDataset().load(new DatasetRequest("random", options, 42, dir, m -> {}));
    }

    /** Throughput does not depend on which labels: the first genre stands in for DEC's clusters. */
    private static Path genreLabels(TextSplits data) throws Exception {
        Map<String, Integer> ids = new HashMap<>();
        StringBuilder b = new StringBuilder("show_id,cluster\n");
        for (int r = 0; r < data.titles().size(); r++) {
            String g = data.titles().get(r, Column.LISTED_IN).split(",")[0].trim();
            int c = ids.computeIfAbsent(g, k -> Math.min(ids.size(), 19));
            b.append(data.titles().get(r, Column.SHOW_ID)).append(',').append(c).append('\n');
        }
        Path f = Files.createTempFile("cinelab-s1-bench", ".csv");
        f.toFile().deleteOnExit();
        Files.writeString(f, b);
        return f;
    }

    private static void time(String label, ModelFactory f, Map<String, Object> params, TextSplits data, PrintStream out, SgemmPeak peak,
                             int threads, PyTorchSitting pytorch) {
        TrialModel m = f.create(Hyperparams.resolve(f.hyperParameters(), params, Map.of()), data, 1);
        ThroughputReport.print(out, label, label, TrainingMeter.warmUpAndMeasure(m::trainEpoch, 1), (ThroughputProbe) m, peak, threads, pytorch);
    }
}
