package org.cinelab.bench;

import org.cinelab.models.layers.LstmImplementation;
import org.deeplearning4j.nn.conf.NeuralNetConfiguration;
import org.deeplearning4j.nn.conf.WorkspaceMode;
import org.deeplearning4j.nn.conf.layers.OutputLayer;
import org.deeplearning4j.nn.conf.layers.recurrent.LastTimeStep;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.deeplearning4j.nn.weights.WeightInit;
import org.nd4j.linalg.activations.Activation;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.learning.config.Nesterovs;
import org.nd4j.linalg.lossfunctions.LossFunctions;

import java.io.PrintStream;
import java.lang.management.ManagementFactory;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.Random;

/**
 * The recurrent classifier of S1 on its own: Embedding(10000, 64) -> LSTM(64) -> softmax(20), batch
 * 128, SGD with Nesterov momentum, at sequence lengths 100 and 1500, with CineLab's layers and
 * DL4J's, beside PyTorch's figure measured in the same sitting ({@link PyTorchSitting}: the same network in
 * PyTorch 1.13, at the same BLAS threads), or without a Python with PyTorch the figures recorded on this machine
 * type (DEPENDENCIES.md: 2,200 examples/s at length 100 and 106 at 1500, 1 thread; 2,601 at length 100 with 2
 * BLAS threads). First the machine's sgemm peak (the square
 * product and the LSTM's own shapes); then per configuration one warm-up epoch and timed epochs of
 * random word indices held in memory: examples/s by the wall clock (fastest epoch) and per process
 * CPU-second (which a loaded machine distorts less), GFLOP/s as a share of the peak, and the heap
 * bytes the training thread and the ND4J native buffers an epoch allocates.
 */
public final class LstmBenchmark implements Benchmark {
    private static final int VOCABULARY = 10_000, WIDTH = 64, CLASSES = 20, BATCH = 128;
    /** The per-step recurrent product and the backward one, at batch 128 (the input projection is one large GEMM). */
    private static final List<SgemmPeak.Shape> LSTM_SHAPES = List.of(new SgemmPeak.Shape(BATCH, WIDTH, 4 * WIDTH),
            new SgemmPeak.Shape(BATCH, 4 * WIDTH, WIDTH));

    @Override
    public String name() { return "lstm"; }

    @Override
    public String description() {
        return "Embedding(10000,64) -> LSTM(64) -> softmax(20), batch 128, CineLab's layers vs DL4J's vs PyTorch "
                + "[--lengths 100,1500] [--impls cinelab,dl4j] [--batches N] [--epochs N] (threads: cinelab bench --threads N lstm)";
    }

    @Override
    public void run(String[] args, PrintStream out) {
        List<Integer> lengths = List.of(100, 1500);
        List<LstmImplementation> impls = List.of(LstmImplementation.CINELAB, LstmImplementation.DL4J);
        int batches = 0, epochs = 2;
        for (int a = 0; a < args.length; a++) {
            switch (args[a]) {
                case "--lengths" -> lengths = Arrays.stream(args[++a].split(",")).map(Integer::valueOf).toList();
                case "--impls" -> impls = Arrays.stream(args[++a].split(",")).map(LstmImplementation::of).toList();
                case "--batches" -> batches = Integer.parseInt(args[++a]);
                case "--epochs" -> epochs = Integer.parseInt(args[++a]);
                default -> throw new IllegalArgumentException("unknown argument '" + args[a]
                        + "'; expected --lengths 100,1500 | --impls cinelab,dl4j | --batches N | --epochs N"
                        + " (BLAS threads: cinelab bench --threads N lstm)");
            }
        }
        int threads = BenchThreads.configure(out);
        PyTorchSitting sitting = PyTorchSitting.find(out);
        SgemmPeak peak = SgemmPeak.measure(LSTM_SHAPES, SgemmPeak.defaultThreadCounts());
        peak.print(out, threads);
        out.printf(Locale.ROOT, "load average %.1f on %d cores (figures from a loaded machine are noisy)%n",
                ManagementFactory.getOperatingSystemMXBean().getSystemLoadAverage(), Runtime.getRuntime().availableProcessors());
        out.printf("%-8s %6s %10s %10s %8s %6s %8s %28s %12s %14s %12s%n", "layers", "length", "ex/s", "ex/CPU-s", "GFLOP/s", "peak",
                "CPU-peak", "PyTorch", "ratio", "heap B/epoch", "ND4J buffers");
        for (int length : lengths) {
            int n = batches > 0 ? batches : length >= 1000 ? 3 : 20;
            List<TrainingMeter.Figures> figures = new java.util.ArrayList<>();
            for (LstmImplementation impl : impls) figures.add(measure(impl, length, n, epochs));
            String row = "text-lstm len " + length;
            // After ours, so that PyTorch's process does not share the machine with them.
            Optional<PyTorchSitting.Figure> now = sitting.measure(row, threads, out);
            Optional<PyTorchReference.Figure> recorded = now.isPresent() ? Optional.empty()
                    : PyTorchReference.of(row, threads).or(() -> PyTorchReference.of(row, 1));
            double pytorch = now.map(PyTorchSitting.Figure::examplesPerSecond)
                    .orElse(recorded.map(PyTorchReference.Figure::examplesPerSecond).orElse(Double.NaN));
            double pytorchPerCpu = now.map(PyTorchSitting.Figure::examplesPerCpuSecond).orElse(pytorch);
            String pytorchColumn = now.map(p -> String.format(Locale.ROOT, "%,.0f (this sitting)", p.examplesPerSecond()))
                    .or(() -> recorded.map(r -> String.format(Locale.ROOT, "%,.0f (%s)", r.examplesPerSecond(), r.setUp()))).orElse("-");
            for (int i = 0; i < impls.size(); i++) {
                TrainingMeter.Figures f = figures.get(i);
                double examples = (double) n * BATCH, perSecond = examples / f.bestSeconds(), perCpuSecond = examples / f.cpuSeconds();
                double gflops = perSecond * flopsPerExample(length) / 1e9, gflopsPerCpu = perCpuSecond * flopsPerExample(length) / 1e9;
                out.printf(Locale.ROOT, "%-8s %6d %10.1f %10.1f %8.2f %6.2f %8.2f %28s %12s %,14d %,12d%n", impls.get(i).name().toLowerCase(Locale.ROOT),
                        length, perSecond, perCpuSecond, gflops, gflops / peak.peak(threads), gflopsPerCpu / peak.peakPerCpuSecond(threads),
                        pytorchColumn,
                        Double.isNaN(pytorch) ? "-" : String.format(Locale.ROOT, "%.2fx/%.2fx", perSecond / pytorch, perCpuSecond / pytorchPerCpu),
                        f.heapBytes(), f.nativeBuffers());
            }
        }
        out.println("peak / CPU-peak: GFLOP/s over the sgemm peak, and GFLOP per CPU-second over the peak per CPU-second;"
                + " ratio: wall / CPU-time throughput over PyTorch's (this sitting's, at the same BLAS threads; else DEPENDENCIES.md's,"
                + " at these BLAS threads where recorded, else 1 thread);"
                + " ex/CPU-s counts the whole process's CPU time; heap (training thread) and ND4J native buffers per epoch");
    }

    /** 6 x the LSTM's multiply-adds per example (2 forward, 4 backward), as the other benchmarks count. */
    static double flopsPerExample(int length) {
        return 6.0 * 4 * WIDTH * (WIDTH + WIDTH) * length + 6.0 * WIDTH * CLASSES;
    }

    static MultiLayerNetwork network(LstmImplementation impl, int length) {
        MultiLayerNetwork net = new MultiLayerNetwork(new NeuralNetConfiguration.Builder()
                .seed(1).dataType(DataType.FLOAT)
                .trainingWorkspaceMode(WorkspaceMode.ENABLED).inferenceWorkspaceMode(WorkspaceMode.ENABLED)
                .weightInit(WeightInit.XAVIER_UNIFORM).updater(new Nesterovs(0.1, 0.9))
                .list()
                .layer(impl.sequenceEmbedding(VOCABULARY, WIDTH, length, null))
                .layer(new LastTimeStep(impl.lstm(WIDTH, WIDTH, 0)))
                .layer(new OutputLayer.Builder(LossFunctions.LossFunction.MCXENT).nIn(WIDTH).nOut(CLASSES).activation(Activation.SOFTMAX).build())
                .build());
        net.init();
        return net;
    }

    private static TrainingMeter.Figures measure(LstmImplementation impl, int length, int batches, int epochs) {
        MultiLayerNetwork net = network(impl, length);
        Random random = new Random(length);
        List<INDArray[]> data = new ArrayList<>();
        for (int b = 0; b < batches; b++) {
            float[][] words = new float[BATCH][length];
            float[][] labels = new float[BATCH][CLASSES];
            for (int i = 0; i < BATCH; i++) {
                for (int t = 0; t < length; t++) words[i][t] = random.nextInt(VOCABULARY);
                labels[i][random.nextInt(CLASSES)] = 1;
            }
            data.add(new INDArray[]{Nd4j.createFromArray(words), Nd4j.createFromArray(labels)});
        }
        for (INDArray[] d : data) net.fit(d[0], d[1]);
        return TrainingMeter.measure(e -> { for (INDArray[] d : data) net.fit(d[0], d[1]); }, 1, epochs);
    }
}
