package org.cinelab.bench;

import org.cinelab.models.dl4j.Nd4jRuntime;
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
import java.util.Random;

/**
 * The recurrent classifier of S1 on its own: Embedding(10000, 64) -> LSTM(64) -> softmax(20), batch
 * 128, SGD with Nesterov momentum, at sequence lengths 100 and 1500, with CineLab's layers and
 * DL4J's, beside PyTorch 1.13's figures measured on this machine type (DEPENDENCIES.md: 2,200
 * examples/s at length 100 and 106 at 1500, 1 thread). Per configuration: one warm-up epoch, then
 * timed epochs of random word indices held in memory; examples/s by the wall clock and per second
 * of the training thread's CPU time (which a loaded machine distorts less; it misses BLAS helper
 * threads when there are any), GFLOP/s, and the Java heap the training thread allocates per epoch.
 */
public final class LstmBenchmark implements Benchmark {
    private static final int VOCABULARY = 10_000, WIDTH = 64, CLASSES = 20, BATCH = 128;

    @Override
    public String name() { return "lstm"; }

    @Override
    public String description() {
        return "Embedding(10000,64) -> LSTM(64) -> softmax(20), batch 128, CineLab's layers vs DL4J's vs PyTorch "
                + "[--lengths 100,1500] [--impls cinelab,dl4j] [--batches N] [--epochs N] [--blas-threads N]";
    }

    @Override
    public void run(String[] args, PrintStream out) {
        List<Integer> lengths = List.of(100, 1500);
        List<LstmImplementation> impls = List.of(LstmImplementation.CINELAB, LstmImplementation.DL4J);
        int batches = 0, epochs = 2, blasThreads = 0;
        for (int a = 0; a < args.length; a++) {
            switch (args[a]) {
                case "--lengths" -> lengths = Arrays.stream(args[++a].split(",")).map(Integer::valueOf).toList();
                case "--impls" -> impls = Arrays.stream(args[++a].split(",")).map(LstmImplementation::of).toList();
                case "--batches" -> batches = Integer.parseInt(args[++a]);
                case "--epochs" -> epochs = Integer.parseInt(args[++a]);
                case "--blas-threads" -> blasThreads = Integer.parseInt(args[++a]);
                default -> throw new IllegalArgumentException("unknown argument '" + args[a]
                        + "'; expected --lengths 100,1500 | --impls cinelab,dl4j | --batches N | --epochs N | --blas-threads N");
            }
        }
        int threads = Nd4jRuntime.configure(blasThreads);
        out.printf(Locale.ROOT, "OMP_NUM_THREADS=%s, BLAS threads %d, load average %.1f on %d cores (figures from a loaded machine are noisy)%n",
                System.getenv().getOrDefault("OMP_NUM_THREADS", "unset"), threads,
                ManagementFactory.getOperatingSystemMXBean().getSystemLoadAverage(), Runtime.getRuntime().availableProcessors());
        out.printf("%-8s %6s %10s %12s %8s %10s %10s %14s%n", "layers", "length", "ex/s", "ex/CPU-s", "GFLOP/s", "PyTorch", "ratio",
                "heap B/epoch");
        for (int length : lengths) {
            for (LstmImplementation impl : impls) {
                int n = batches > 0 ? batches : length >= 1000 ? 3 : 20;
                Result r = measure(impl, length, n, epochs);
                double pytorch = length == 100 ? 2200 : length == 1500 ? 106 : Double.NaN;
                out.printf(Locale.ROOT, "%-8s %6d %10.1f %12.1f %8.2f %10s %10s %,14d%n", impl.name().toLowerCase(Locale.ROOT), length,
                        r.perSecond(), r.perCpuSecond(), r.perSecond() * flopsPerExample(length) / 1e9,
                        Double.isNaN(pytorch) ? "-" : String.format(Locale.ROOT, "%,.0f", pytorch),
                        Double.isNaN(pytorch) ? "-" : String.format(Locale.ROOT, "%.2fx/%.2fx", r.perSecond() / pytorch, r.perCpuSecond() / pytorch),
                        r.heapBytesPerEpoch());
            }
        }
        out.println("ratio: wall / CPU-time throughput over PyTorch 1.13's (1 thread, DEPENDENCIES.md)");
    }

    /** 6 x the LSTM's multiply-adds per example (2 forward, 4 backward), as the other benchmarks count. */
    static double flopsPerExample(int length) {
        return 6.0 * 4 * WIDTH * (WIDTH + WIDTH) * length + 6.0 * WIDTH * CLASSES;
    }

    record Result(double perSecond, double perCpuSecond, long heapBytesPerEpoch) {}

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

    private static Result measure(LstmImplementation impl, int length, int batches, int epochs) {
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
        com.sun.management.ThreadMXBean threads = (com.sun.management.ThreadMXBean) ManagementFactory.getThreadMXBean();
        long heap0 = threads.getCurrentThreadAllocatedBytes(), cpu0 = threads.getCurrentThreadCpuTime(), t0 = System.nanoTime();
        for (int e = 0; e < epochs; e++) for (INDArray[] d : data) net.fit(d[0], d[1]);
        double seconds = (System.nanoTime() - t0) / 1e9, cpuSeconds = (threads.getCurrentThreadCpuTime() - cpu0) / 1e9;
        long heap = (threads.getCurrentThreadAllocatedBytes() - heap0) / epochs;
        double examples = (double) epochs * batches * BATCH;
        return new Result(examples / seconds, examples / cpuSeconds, heap);
    }
}
