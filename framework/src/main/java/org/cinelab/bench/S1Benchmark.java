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
import org.nd4j.linalg.factory.Nd4j;

import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * S1 throughput on the 7,787-title catalogue: DEC autoencoder pre-training ({@code dec}, 1500 inputs,
 * 500-500-2000-10 and mirror) and the embedding + LSTM(64) classifier at sequence lengths 100 and
 * 1500, one warm-up and one timed epoch each, as examples/s and GFLOP/s beside PyTorch's figures.
 * The LSTM trains on 10% of the titles (test_ratio 0.9) so that length 1500 takes seconds, not minutes.
 */
public final class S1Benchmark implements Benchmark {
    @Override
    public String name() { return "s1"; }

    @Override
    public String description() {
        return "S1 throughput: DEC pre-training and embedding+LSTM(64) at lengths 100 and 1500 on netflix-titles [--lengths 100,1500] [--data-dir D] [--skip-dec]";
    }

    @Override
    public void run(String[] args, PrintStream out) throws Exception {
        Path dataDir = null;
        List<Integer> lengths = List.of(100, 1500);
        boolean dec = true;
        for (int a = 0; a < args.length; a++) {
            switch (args[a]) {
                case "--data-dir" -> dataDir = Path.of(args[++a]);
                case "--lengths" -> lengths = java.util.Arrays.stream(args[++a].split(",")).map(Integer::valueOf).toList();
                case "--skip-dec" -> dec = false;
                default -> throw new IllegalArgumentException("unknown argument '" + args[a] + "'; expected --lengths 100,1500 | --skip-dec | --data-dir DIR");
            }
        }
        Path dir = DataDirs.resolve(dataDir);
        out.printf("OMP_NUM_THREADS=%s, ND4J BLAS threads %d%n", System.getenv().getOrDefault("OMP_NUM_THREADS", "unset"),
                Nd4j.factory().blas().getMaxThreads());
        if (dec) {
            TextSplits data = load(dir, Map.of("maxlen", 1500));
            time("dec (pre-training)", ModelRegistry.find("dec").orElseThrow(), Map.of(), data, out,
                    "PyTorch 3,368 ex/s (1 thread), 5,297 (1+2 BLAS threads)");
        }
        for (int len : lengths) {
            TextSplits data = load(dir, Map.of("maxlen", len, "scale", false, "test_ratio", 0.9, "validation_ratio", 0.0));
            Path labels = genreLabels(data);
            time("text-lstm len " + len, ModelRegistry.find("text-lstm").orElseThrow(), Map.of("labels", labels.toString(),
                    "units", "64", "embedding_dim", 64), data, out,
                    len == 100 ? "PyTorch 2,200 ex/s (1 thread), 2,601 (1+2)" : len == 1500 ? "PyTorch 106 ex/s (1 thread)" : "");
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

    private static void time(String label, ModelFactory f, Map<String, Object> params, TextSplits data, PrintStream out, String pytorch) {
        TrialModel m = f.create(Hyperparams.resolve(f.hyperParameters(), params, Map.of()), data, 1);
        ThroughputProbe probe = (ThroughputProbe) m;
        m.trainEpoch(1);
        long t0 = System.nanoTime();
        m.trainEpoch(2);
        double seconds = (System.nanoTime() - t0) / 1e9;
        double perSecond = probe.examplesPerEpoch() / seconds;
        out.printf("%-22s %,9.0f titles/s  %6.2f GFLOP/s  (epoch of %,d in %.2f s, %,d params)%s%n", label, perSecond,
                perSecond * probe.trainFlopsPerExample() / 1e9, probe.examplesPerEpoch(), seconds, m.parameterCount(),
                pytorch.isEmpty() ? "" : "  | " + pytorch);
    }
}
