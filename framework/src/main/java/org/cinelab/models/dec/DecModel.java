package org.cinelab.models.dec;

import org.cinelab.data.text.TextSplits;
import org.cinelab.metrics.ClusteringMetrics;
import org.cinelab.models.TrialModel;
import org.cinelab.models.dl4j.DenseEngine;
import org.cinelab.models.dl4j.TrainerChoice;
import org.cinelab.models.dl4j.DenseTrainer;
import org.cinelab.models.dl4j.NetworkCheckpoint;
import org.cinelab.models.dl4j.NetworkExport;
import org.cinelab.models.dl4j.Nd4jRuntime;
import org.cinelab.models.dl4j.Optimisers;
import org.cinelab.models.dl4j.EpochOrder;
import org.cinelab.models.dl4j.SeededBatches;
import org.cinelab.models.dl4j.ThroughputProbe;
import org.deeplearning4j.nn.conf.MultiLayerConfiguration;
import org.deeplearning4j.nn.conf.NeuralNetConfiguration;
import org.deeplearning4j.nn.conf.WorkspaceMode;
import org.deeplearning4j.nn.conf.distribution.UniformDistribution;
import org.deeplearning4j.nn.conf.layers.DenseLayer;
import org.deeplearning4j.nn.conf.layers.OutputLayer;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.nd4j.linalg.activations.Activation;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.lossfunctions.LossFunctions;

import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * One DEC trial. The autoencoder is a DL4J network trained epoch by epoch (its parameters and
 * RMSprop state are the checkpoint); the clustering is a deterministic function of the trained
 * encoder and the seed, computed once on first use and kept, so a restored model clusters exactly
 * as the uninterrupted one did.
 */
final class DecModel implements TrialModel, ThroughputProbe {
    private static final int MAGIC = 0x434C4443; // "CLDC"

    private final DecSettings s;
    private final TextSplits data;
    private final long seed;
    /** The epoch's example order, one array for every epoch. */
    private final EpochOrder epochOrder = new EpochOrder();
    private final int[] fitRows;
    private final INDArray fitX;
    private final INDArray validationX;
    private final MultiLayerNetwork autoencoder;
    /** CineLab's dense trainer, or null when DL4J's fit trains the autoencoder. */
    private final DenseTrainer trainer;
    /** Which trainer runs the steps, for the run's tags. */
    private final TrainerChoice trainerChoice = new TrainerChoice();
    private DecResult result;

    DecModel(DecSettings s, TextSplits data, long seed) {
        Nd4jRuntime.configure();
        this.s = s;
        this.data = data;
        this.seed = seed;
        List<TextSplits.Part> parts = s.fitOnAll() ? List.of(data.train(), data.validation(), data.test()) : List.of(data.train());
        this.fitRows = parts.stream().flatMapToInt(p -> java.util.Arrays.stream(p.rows())).toArray();
        this.fitX = matrix(parts);
        this.validationX = matrix(List.of(data.validation()));
        this.autoencoder = new MultiLayerNetwork(configuration(s, (int) fitX.size(1), seed));
        autoencoder.init();
        this.trainer = DenseEngine.trainer(s.dl4jEngine(), autoencoder, fitX, fitX, s.batchSize(), null, trainerChoice);
    }

    static INDArray matrix(List<TextSplits.Part> parts) {
        List<float[]> rows = new ArrayList<>();
        for (TextSplits.Part p : parts) {
            float[][] x = p.dense() != null ? p.dense() : p.sparse().toDenseFloat();
            rows.addAll(List.of(x));
        }
        return Nd4j.createFromArray(rows.toArray(new float[0][]));
    }

    /** Encoder widths then the mirrored decoder; ReLU inside, linear embedding and output. */
    static MultiLayerConfiguration configuration(DecSettings s, int inputs, long seed) {
        NeuralNetConfiguration.ListBuilder list = new NeuralNetConfiguration.Builder()
                .seed(seed)
                .dataType(DataType.FLOAT)
                .trainingWorkspaceMode(WorkspaceMode.ENABLED)
                .inferenceWorkspaceMode(WorkspaceMode.ENABLED)
                .updater(Optimisers.create("rmsprop", s.lr(), s.rmsDecay(), s.epsilon()))
                .list();
        int[] widths = widths(s, inputs);
        int embeddingLayer = s.dims().length - 1;
        for (int l = 0; l + 2 < widths.length; l++) {
            Activation act = l == embeddingLayer ? Activation.IDENTITY : Activation.RELU;
            list.layer(new DenseLayer.Builder().nIn(widths[l]).nOut(widths[l + 1]).activation(act)
                    .weightInit(varianceScalingThird(widths[l])).biasInit(0).build());
        }
        int last = widths.length - 2;
        boolean xent = s.loss().equals("xent");
        list.layer(new OutputLayer.Builder(xent ? LossFunctions.LossFunction.XENT : LossFunctions.LossFunction.MSE)
                .nIn(widths[last]).nOut(widths[last + 1]).activation(xent ? Activation.SIGMOID : Activation.IDENTITY)
                .weightInit(varianceScalingThird(widths[last])).biasInit(0).build());
        return list.build();
    }

    /** Keras {@code VarianceScaling(scale=1/3, mode='fan_in', distribution='uniform')}: U(±sqrt(3·scale/fan_in)). */
    static UniformDistribution varianceScalingThird(int fanIn) {
        double bound = Math.sqrt(1.0 / fanIn);
        return new UniformDistribution(-bound, bound);
    }

    static int[] widths(DecSettings s, int inputs) {
        int[] dims = s.dims();
        int[] w = new int[2 * dims.length + 1];
        w[0] = inputs;
        for (int i = 0; i < dims.length; i++) w[i + 1] = dims[i];
        for (int i = 0; i < dims.length - 1; i++) w[dims.length + 1 + i] = dims[dims.length - 2 - i];
        w[w.length - 1] = inputs;
        return w;
    }

    @Override
    public double trainEpoch(int epoch) {
        result = null;
        SeededBatches.seedEpoch(seed, epoch);
        int n = (int) fitX.size(0);
        int[] order = epochOrder.of(n, seed, epoch, true);
        double sum = 0;
        for (int from = 0; from < n; from += s.batchSize()) {
            int to = Math.min(n, from + s.batchSize());
            if (trainer != null) {
                sum += trainer.step(order, from, to) * (to - from);
                continue;
            }
            INDArray x = fitX.getRows(SeededBatches.slice(order, from, to));
            autoencoder.fit(x, x);
            sum += autoencoder.score() * (to - from);
        }
        autoencoder.setEpochCount(epoch);
        return sum / n;
    }

    @Override
    public Map<String, Double> evaluate(Split split) {
        Map<String, Double> m = new LinkedHashMap<>();
        if (split == Split.VALIDATION) {
            m.put("reconstruction_mse", reconstructionMse(validationX));
            return m;
        }
        m.put("reconstruction_mse", reconstructionMse(fitX));
        m.putAll(clustering().metrics());
        return m;
    }

    private double reconstructionMse(INDArray x) {
        if (x.size(0) == 0) return Double.NaN;
        INDArray out = autoencoder.output(x, false);
        return out.squaredDistance(x) / x.length();
    }

    /** The clustering of the fitted titles, computed on first use after pre-training. */
    DecResult clustering() {
        if (result == null) result = DecClustering.run(s, encoderWeights(), encoderBiases(), fitX, genreLabels(), seed);
        return result;
    }

    private int[] genreLabels() {
        List<TextSplits.Part> parts = s.fitOnAll() ? List.of(data.train(), data.validation(), data.test()) : List.of(data.train());
        return parts.stream().flatMapToInt(p -> java.util.Arrays.stream(p.labels())).toArray();
    }

    List<INDArray> encoderWeights() {
        List<INDArray> w = new ArrayList<>();
        for (int l = 0; l < s.dims().length; l++) w.add(autoencoder.getLayer(l).getParam("W"));
        return w;
    }

    List<INDArray> encoderBiases() {
        List<INDArray> b = new ArrayList<>();
        for (int l = 0; l < s.dims().length; l++) b.add(autoencoder.getLayer(l).getParam("b"));
        return b;
    }

    @Override
    public void saveCheckpoint(DataOutputStream out) throws IOException {
        NetworkCheckpoint.write(out, MAGIC, autoencoder);
    }

    @Override
    public void loadCheckpoint(DataInputStream in) throws IOException {
        NetworkCheckpoint.read(in, MAGIC, "dec", autoencoder);
        result = null;
    }

    @Override
    public void exportModel(Path dir) throws IOException {
        NetworkExport.write(dir, "autoencoder.zip", autoencoder, null);
        DecResult r = clustering();
        r.graph().sameDiff().save(dir.resolve("dec_graph.fb").toFile(), false);
        new ClusterArtifacts(data, fitRows, new ClusterArtifacts.Clustering("DEC", s.clusters(), r.labels(), r.confidence(), r.embedding(),
                r.metrics()), s.scatter(), seed).write(dir);
    }

    @Override
    public Map<String, String> tags() { return trainerChoice.tags(); }

    @Override
    public long parameterCount() { return autoencoder.numParams() + (long) s.clusters() * s.embeddingSize(); }

    @Override
    public long examplesPerEpoch() { return fitX.size(0); }

    @Override
    public String exampleUnit() { return "title"; }

    @Override
    public long stepsPerEpoch() { return (fitX.size(0) + s.batchSize() - 1) / s.batchSize(); }

    @Override
    public double trainFlopsPerExample() { return ThroughputProbe.denseTrainFlops(widths(s, (int) fitX.size(1))); }

    MultiLayerNetwork autoencoder() { return autoencoder; }

    INDArray fitMatrix() { return fitX; }
}
