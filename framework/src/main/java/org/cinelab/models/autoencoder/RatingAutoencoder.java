package org.cinelab.models.autoencoder;

import org.cinelab.data.RatingSplits;
import org.cinelab.data.RatingTable;
import org.cinelab.models.TrialModel;
import org.cinelab.models.dl4j.DenseEngine;
import org.cinelab.models.dl4j.TrainerChoice;
import org.cinelab.models.dl4j.DenseTrainer;
import org.cinelab.models.dl4j.MaskedMseLoss;
import org.cinelab.models.dl4j.NetworkCheckpoint;
import org.cinelab.models.dl4j.NetworkExport;
import org.cinelab.models.dl4j.Nd4jRuntime;
import org.cinelab.models.dl4j.Optimisers;
import org.cinelab.models.dl4j.RatingMetrics;
import org.cinelab.models.dl4j.EpochOrder;
import org.cinelab.models.dl4j.SeededBatches;
import org.cinelab.models.dl4j.ThroughputProbe;
import org.deeplearning4j.nn.conf.NeuralNetConfiguration;
import org.deeplearning4j.nn.conf.WorkspaceMode;
import org.deeplearning4j.nn.conf.distribution.UniformDistribution;
import org.deeplearning4j.nn.conf.layers.BaseLayer;
import org.deeplearning4j.nn.conf.layers.DenseLayer;
import org.deeplearning4j.nn.conf.layers.OutputLayer;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.deeplearning4j.nn.weights.WeightInit;
import org.deeplearning4j.nn.workspace.LayerWorkspaceMgr;
import org.nd4j.linalg.activations.Activation;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.nio.file.Path;
import java.util.Locale;
import java.util.Map;

/**
 * A rating-vector autoencoder in DL4J: each training row (a user's ratings over all items, or an
 * item's over all users) is reconstructed through dense layers under a {@link MaskedMseLoss}; the
 * prediction for (user, item) is read from the reconstruction of the row that holds it, computed
 * from training ratings only. A row with no training ratings has no signal, so its predictions are
 * the training mean (AutoRec's cold-start default).
 *
 * <p>With {@code accumulate_gradients} the optimiser steps on the running sum of every gradient
 * computed so far in the trial, never cleared, which is what the S3 course code does by never
 * calling {@code zero_grad()}; the sum is optimiser state and is saved in checkpoints.
 */
final class RatingAutoencoder implements TrialModel, ThroughputProbe {
    private static final int MAGIC = 0x434C4145; // "CLAE"

    private final AutoencoderSettings s;
    private final RatingSplits data;
    private final long seed;
    /** The epoch's example order, one array for every epoch. */
    private final EpochOrder epochOrder = new EpochOrder();
    private final RatingVectors vectors;
    private final MultiLayerNetwork net;
    private final float trainMean;
    private final INDArray accumulated;
    private final boolean regularised;
    /** CineLab's dense trainer, or null when DL4J's fit trains the network. */
    private final DenseTrainer trainer;
    /** Which trainer runs the steps, for the run's tags. */
    private final TrainerChoice trainerChoice = new TrainerChoice();

    RatingAutoencoder(AutoencoderSettings s, RatingSplits data, long seed) {
        Nd4jRuntime.configure();
        this.s = s;
        this.data = data;
        this.seed = seed;
        this.vectors = RatingVectors.of(data.train(), data.numUsers(), data.numItems(), s.byUser());
        this.trainMean = (float) data.train().meanRating();
        this.net = new MultiLayerNetwork(configuration(s, vectors.cols(), seed));
        net.init();
        this.regularised = s.weightDecay() > 0;
        this.accumulated = s.accumulateGradients() ? Nd4j.zeros(DataType.FLOAT, 1, net.numParams()) : null;
        this.trainer = DenseEngine.trainer(s.dl4jEngine(), net, vectors.matrix, vectors.matrix, s.batchSize(), accumulated, trainerChoice);
    }

    static org.deeplearning4j.nn.conf.MultiLayerConfiguration configuration(AutoencoderSettings s, int width, long seed) {
        NeuralNetConfiguration.Builder b = new NeuralNetConfiguration.Builder()
                .seed(seed)
                .dataType(DataType.FLOAT)
                .trainingWorkspaceMode(WorkspaceMode.ENABLED)
                .inferenceWorkspaceMode(WorkspaceMode.ENABLED)
                .updater(Optimisers.create(s.optimizer(), s.lr(), s.rmsDecay(), s.epsilon()));
        if (s.weightDecay() > 0 && s.decoupledDecay()) {
            b.weightDecay(s.weightDecay(), true);
            if (s.decayBiases()) b.weightDecayBias(s.weightDecay(), true);
        } else if (s.weightDecay() > 0) {
            b.l2(s.weightDecay());
            if (s.decayBiases()) b.l2Bias(s.weightDecay());
        }
        NeuralNetConfiguration.ListBuilder list = b.list();
        int in = width;
        int[] hidden = s.hidden();
        for (int i = 0; i < hidden.length; i++) {
            DenseLayer.Builder layer = new DenseLayer.Builder().nIn(in).nOut(hidden[i]).activation(activation(s.activation()));
            init(layer, s.init(), in);
            if (i > 0 && s.dropout() > 0) layer.dropOut(1 - s.dropout());
            list.layer(layer.build());
            in = hidden[i];
        }
        OutputLayer.Builder out = new OutputLayer.Builder(new MaskedMseLoss(s.normalisation()))
                .nIn(in).nOut(width).activation(activation(s.outputActivation()));
        init(out, s.init(), in);
        if (s.dropout() > 0) out.dropOut(1 - s.dropout());
        list.layer(out.build());
        return list.build();
    }

    private static Activation activation(String name) {
        return Activation.valueOf(name.toUpperCase(Locale.ROOT));
    }

    /** "pytorch": nn.Linear's U(±1/sqrt(fan_in)) weights (biases start at 0 here); else a DL4J scheme. */
    private static void init(BaseLayer.Builder<?> layer, String init, int fanIn) {
        if (init.equals("pytorch")) {
            double bound = 1 / Math.sqrt(fanIn);
            layer.weightInit(new UniformDistribution(-bound, bound));
        } else {
            layer.weightInit(WeightInit.valueOf(init.toUpperCase(Locale.ROOT)));
        }
    }

    /** Mean masked loss of the epoch's batches, without the weight-decay term DL4J adds to its score. */
    @Override
    public double trainEpoch(int epoch) {
        SeededBatches.seedEpoch(seed, epoch);
        int[] order = epochOrder.of(vectors.nonEmptyRows, seed, epoch, s.shuffle());
        double lossSum = 0;
        for (int from = 0; from < order.length; from += s.batchSize()) {
            int to = Math.min(order.length, from + s.batchSize());
            if (trainer != null) {
                lossSum += trainer.step(order, from, to) * (to - from);
                continue;
            }
            INDArray x = vectors.batch(SeededBatches.slice(order, from, to));
            double penalty = regularised ? net.calcRegularizationScore(true) : 0;
            if (accumulated != null) stepOnAccumulatedGradient(x, epoch);
            else net.fit(x, x);
            lossSum += (net.score() - penalty) * (to - from);
        }
        net.setEpochCount(epoch);
        return lossSum / order.length;
    }

    private void stepOnAccumulatedGradient(INDArray x, int epoch) {
        net.setInput(x);
        net.setLabels(x);
        net.computeGradientAndScore();
        INDArray gradient = net.getFlattenedGradients();
        accumulated.addi(gradient);
        gradient.assign(accumulated);
        int iteration = net.getIterationCount();
        net.getUpdater().update(net, net.gradient(), iteration, epoch, (int) x.size(0), LayerWorkspaceMgr.noWorkspaces());
        INDArray params = net.params();
        params.subi(gradient.reshape(params.shape()));
        net.setIterationCount(iteration + 1);
    }

    /** Reconstructions of every row from the training ratings. */
    INDArray reconstructAll() {
        return net.output(vectors.matrix, false);
    }

    @Override
    public Map<String, Double> evaluate(Split split) {
        RatingTable t = split == Split.TEST ? data.test() : data.validation();
        INDArray out = reconstructAll();
        RatingMetrics metrics = new RatingMetrics(data.numUsers());
        for (int j = 0; j < t.size(); j++) {
            int u = t.user(j), i = t.item(j);
            int row = vectors.rowOf(u, i);
            double p = vectors.empty[row] ? trainMean : out.getDouble(row, vectors.colOf(u, i));
            if (s.clip()) p = Math.max(data.minRating(), Math.min(data.maxRating(), p));
            metrics.add(u, p, t.rating(j));
        }
        return metrics.asMap();
    }

    @Override
    public void saveCheckpoint(DataOutputStream out) throws IOException {
        NetworkCheckpoint.write(out, MAGIC, net);
        NetworkCheckpoint.writeArray(out, accumulated);
    }

    @Override
    public void loadCheckpoint(DataInputStream in) throws IOException {
        NetworkCheckpoint.read(in, MAGIC, "rating-autoencoder", net);
        NetworkCheckpoint.readArray(in, accumulated, "gradient accumulator");
    }

    @Override
    public void exportModel(Path dir) throws IOException {
        String rows = s.byUser() ? "user" : "item";
        String readme = "Rating autoencoder (CineLab), DL4J MultiLayerNetwork in model.zip (ModelSerializer, with updater)\n"
                + "input: one " + rows + "'s training ratings as a vector of " + vectors.cols() + " values, 0 = unrated\n"
                + "prediction for (user, item): the reconstruction of the " + rows + "'s row at the other id"
                + (s.clip() ? ", clipped to [" + data.minRating() + ", " + data.maxRating() + "]" : "") + "\n"
                + "rows with no training ratings predict the training mean " + trainMean + "\n"
                + "loss: " + new MaskedMseLoss(s.normalisation()).name() + " (custom class org.cinelab.models.dl4j.MaskedMseLoss)\n"
                + "ids are dense: MovieLens raw id - 1\n";
        NetworkExport.write(dir, "model.zip", net, readme);
    }

    @Override
    public Map<String, String> tags() { return trainerChoice.tags(); }

    @Override
    public long parameterCount() { return net.numParams(); }

    @Override
    public long examplesPerEpoch() { return vectors.nonEmptyRows.length; }

    @Override
    public long stepsPerEpoch() { return (vectors.nonEmptyRows.length + s.batchSize() - 1) / s.batchSize(); }

    @Override
    public String exampleUnit() { return s.byUser() ? "user vector" : "item vector"; }

    @Override
    public double trainFlopsPerExample() {
        int[] widths = new int[s.hidden().length + 2];
        widths[0] = vectors.cols();
        System.arraycopy(s.hidden(), 0, widths, 1, s.hidden().length);
        widths[widths.length - 1] = vectors.cols();
        return ThroughputProbe.denseTrainFlops(widths);
    }

    MultiLayerNetwork network() { return net; }
}
