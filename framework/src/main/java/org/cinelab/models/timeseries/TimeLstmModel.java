package org.cinelab.models.timeseries;

import org.cinelab.data.RatingSplits;
import org.cinelab.data.split.SlidingWindows;
import org.cinelab.models.TrialModel;
import org.cinelab.models.dl4j.NetworkCheckpoint;
import org.cinelab.models.dl4j.NetworkExport;
import org.cinelab.models.dl4j.Nd4jRuntime;
import org.cinelab.models.dl4j.RatingMetrics;
import org.cinelab.models.dl4j.EpochOrder;
import org.cinelab.models.dl4j.SeededBatches;
import org.cinelab.models.dl4j.SequenceTrainer;
import org.cinelab.models.dl4j.TrainerChoice;
import org.cinelab.models.dl4j.ThroughputProbe;
import org.cinelab.models.layers.LstmImplementation;
import org.deeplearning4j.nn.conf.ComputationGraphConfiguration;
import org.deeplearning4j.nn.conf.NeuralNetConfiguration;
import org.deeplearning4j.nn.conf.WorkspaceMode;
import org.deeplearning4j.nn.conf.graph.MergeVertex;
import org.deeplearning4j.nn.conf.layers.Layer;
import org.deeplearning4j.nn.conf.layers.OutputLayer;
import org.deeplearning4j.nn.conf.layers.recurrent.LastTimeStep;
import org.deeplearning4j.nn.graph.ComputationGraph;
import org.deeplearning4j.nn.weights.WeightInit;
import org.nd4j.linalg.activations.Activation;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.dataset.MultiDataSet;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.learning.config.Adam;
import org.nd4j.linalg.lossfunctions.impl.LossMSE;

import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;

/** One trial of {@link TimeLstmFactory}: a ComputationGraph over sliding windows of a time split. */
final class TimeLstmModel implements TrialModel, ThroughputProbe {
    private static final int MAGIC = 0x434C544C; // "CLTL"
    /** Clusters are a preprocessing step shared by every trial (the study fitted them once). */
    static final long CLUSTER_SEED = 1;
    private static final Map<String, SlidingWindows.Parts> WINDOWS = new LinkedHashMap<>(4, 0.75f, true);

    record Settings(int window, boolean clusterFeatures, int clusters, int clusterIterations, int movieEmbeddingDim, int layers,
                    int units, double dropout, String finalActivation, double lr, int batchSize, boolean clip,
                    LstmImplementation lstmImpl) {
        boolean scaledSigmoid() { return finalActivation.equals("sigmoid"); }
    }

    private final Settings s;
    private final RatingSplits data;
    private final long seed;
    /** The epoch's example order, one array for every epoch. */
    private final EpochOrder epochOrder = new EpochOrder();
    private final SlidingWindows.Parts parts;
    /** The training windows (listing them builds an array: once, not per epoch). */
    private final int[] trainWindows;
    private final WindowFeatures features;
    private final ComputationGraph net;
    /** CineLab's trainer of the graph (null: DL4J's fit), and the time-major minibatch it reads. */
    private final SequenceTrainer sequences;
    /** Which trainer runs the steps, for the run's tags. */
    private final TrainerChoice trainerChoice = new TrainerChoice();
    private final float[] stepValues, targets, predictions;
    private final int[] stepIds;

    TimeLstmModel(Settings s, RatingSplits data, long seed) {
        Nd4jRuntime.configure();
        this.s = s;
        this.data = data;
        this.seed = seed;
        this.parts = windowsOf(data, s.window());
        this.trainWindows = parts.train().windows();
        MovieClusters clusters = s.clusterFeatures()
                ? MovieClusters.cached(data.splitId(), data.train(), data.numUsers(), data.numItems(), s.clusters(), s.clusterIterations(), CLUSTER_SEED)
                : null;
        this.features = WindowFeatures.fit(parts, clusters);
        this.net = new ComputationGraph(graph(s, features.channels(), data.numItems(), seed));
        net.init();
        if (s.lstmImpl() == LstmImplementation.DL4J) trainerChoice.whyNot().accept(LstmImplementation.SETTING + ": dl4j");
        this.sequences = s.lstmImpl() == LstmImplementation.CINELAB
                ? trainerChoice.chosen(SequenceTrainer.create(net, s.batchSize(), s.window(), trainerChoice.whyNot()).orElse(null)) : null;
        this.stepValues = sequences == null ? null : new float[s.batchSize() * s.window() * features.channels()];
        this.stepIds = sequences == null || !sequences.embedsIds() ? null : new int[s.batchSize() * s.window()];
        this.targets = sequences == null ? null : new float[s.batchSize()];
        this.predictions = sequences == null ? null : new float[s.batchSize()];
    }

    /** Windows of a split, shared between the trials of a run. */
    static SlidingWindows.Parts windowsOf(RatingSplits data, int window) {
        String key = data.splitId() + "/" + data.train().size() + "/" + window;
        synchronized (WINDOWS) {
            SlidingWindows.Parts p = WINDOWS.get(key);
            if (p == null) {
                p = SlidingWindows.fromSplits(data, window);
                WINDOWS.put(key, p);
                if (WINDOWS.size() > 2) WINDOWS.remove(WINDOWS.keySet().iterator().next());
            }
            return p;
        }
    }

    static ComputationGraphConfiguration graph(Settings s, int channels, int numItems, long seed) {
        ComputationGraphConfiguration.GraphBuilder g = new NeuralNetConfiguration.Builder()
                .seed(seed)
                .dataType(DataType.FLOAT)
                .trainingWorkspaceMode(WorkspaceMode.ENABLED)
                .inferenceWorkspaceMode(WorkspaceMode.ENABLED)
                .weightInit(WeightInit.XAVIER)
                .updater(new Adam(s.lr(), 0.9, 0.999, 1e-7))
                .graphBuilder();
        String prev;
        int in;
        if (s.clusterFeatures()) {
            g.addInputs("steps");
            prev = "steps";
            in = channels;
        } else {
            g.addInputs("steps", "items");
            g.addLayer("movie_embedding", s.lstmImpl().sequenceEmbedding(numItems, s.movieEmbeddingDim(), s.window(), WeightInit.UNIFORM), "items");
            g.addVertex("step_inputs", new MergeVertex(), "steps", "movie_embedding");
            prev = "step_inputs";
            in = channels + s.movieEmbeddingDim();
        }
        for (int i = 0; i < s.layers(); i++) {
            Layer lstm = s.lstmImpl().lstm(in, s.units(), i > 0 ? s.dropout() : 0);
            Layer layer = i == s.layers() - 1 ? new LastTimeStep(lstm) : lstm;
            g.addLayer("lstm" + i, layer, prev);
            prev = "lstm" + i;
            in = s.units();
        }
        OutputLayer.Builder out = new OutputLayer.Builder(new LossMSE()).nIn(in).nOut(1).activation(activation(s.finalActivation()));
        if (s.dropout() > 0) out.dropOut(1.0 - s.dropout());
        g.addLayer("rating", out.build(), prev);
        g.setOutputs("rating");
        return g.build();
    }

    private static Activation activation(String name) {
        return switch (name) {
            case "gelu" -> Activation.GELU;
            case "selu" -> Activation.SELU;
            case "swish" -> Activation.SWISH;
            case "relu" -> Activation.RELU;
            case "sigmoid" -> Activation.SIGMOID;
            case "identity" -> Activation.IDENTITY;
            default -> throw new IllegalArgumentException("final_activation '" + name + "': expected one of " + TimeLstmFactory.FINAL_ACTIVATIONS);
        };
    }

    @Override
    public double trainEpoch(int epoch) {
        SeededBatches.seedEpoch(seed, epoch);
        int[] order = epochOrder.of(trainWindows, seed, epoch, true);
        double lossSum = 0;
        int batches = 0;
        for (int from = 0; from < order.length; from += s.batchSize()) {
            int count = Math.min(order.length, from + s.batchSize()) - from;
            if (sequences != null) {
                features.timeMajor(order, from, count, stepValues, stepIds);
                for (int k = 0; k < count; k++) targets[k] = toTarget(parts.windows().label(order[from + k]));
                lossSum += sequences.step(count, stepValues, stepIds, targets);
            } else {
                int[] batch = SeededBatches.slice(order, from, from + count);
                net.fit(new MultiDataSet(inputs(batch), new INDArray[]{labels(batch)}));
                lossSum += net.score();
            }
            batches++;
        }
        net.getConfiguration().setEpochCount(epoch);
        return lossSum / Math.max(1, batches);
    }

    INDArray[] inputs(int[] batch) {
        return s.clusterFeatures() ? new INDArray[]{features.steps(batch)} : new INDArray[]{features.steps(batch), features.items(batch)};
    }

    private INDArray labels(int[] batch) {
        float[] y = new float[batch.length];
        for (int k = 0; k < batch.length; k++) y[k] = toTarget(parts.windows().label(batch[k]));
        return Nd4j.createFromArray(y).reshape(batch.length, 1);
    }

    private float toTarget(float rating) {
        return s.scaledSigmoid() ? (rating - data.minRating()) / (data.maxRating() - data.minRating()) : rating;
    }

    private double fromOutput(double out) {
        return s.scaledSigmoid() ? data.minRating() + out * (data.maxRating() - data.minRating()) : out;
    }

    @Override
    public Map<String, Double> evaluate(Split split) {
        SlidingWindows.Part part = split == Split.TEST ? parts.test() : parts.validation();
        RatingMetrics metrics = new RatingMetrics(data.numUsers());
        int[] all = part.windows();
        if (sequences != null) { // CineLab's inference, in the training step's buffers: nothing allocated per batch
            for (int from = 0; from < all.length; from += s.batchSize()) {
                int count = Math.min(all.length - from, s.batchSize());
                features.timeMajor(all, from, count, stepValues, stepIds);
                sequences.predict(count, stepValues, stepIds, predictions);
                for (int k = 0; k < count; k++) addPrediction(metrics, all[from + k], predictions[k]);
            }
            return metrics.asMap();
        }
        int chunk = 4096;
        for (int from = 0; from < all.length; from += chunk) {
            int[] batch = SeededBatches.slice(all, from, Math.min(all.length, from + chunk));
            INDArray predicted = net.output(false, inputs(batch))[0];
            for (int k = 0; k < batch.length; k++) addPrediction(metrics, batch[k], predicted.getDouble(k, 0));
        }
        return metrics.asMap();
    }

    /** Window {@code window}'s rating from the network's output, clipped if the spec says so. */
    private void addPrediction(RatingMetrics metrics, int window, double output) {
        double p = fromOutput(output);
        if (s.clip()) p = Math.max(data.minRating(), Math.min(data.maxRating(), p));
        metrics.add(parts.windows().user(window), p, parts.windows().label(window));
    }

    @Override
    public void saveCheckpoint(DataOutputStream out) throws IOException {
        NetworkCheckpoint.write(out, MAGIC, net);
    }

    @Override
    public void loadCheckpoint(DataInputStream in) throws IOException {
        NetworkCheckpoint.read(in, MAGIC, "time-lstm", net);
    }

    @Override
    public void exportModel(Path dir) throws IOException {
        NetworkExport.write(dir, "model.zip", net, "time-lstm (CineLab), DL4J ComputationGraph in model.zip (ModelSerializer, with updater)\n"
                + "input steps: [batch, " + features.channels() + ", " + s.window() + "] = "
                + (s.clusterFeatures() ? s.clusters() + " cluster one-hot channels, " : "")
                + "standardised rating (0 on the last step), standardised log(1 + gap days), rating-known flag"
                + (s.clusterFeatures() ? "" : "; input items: [batch, " + s.window() + "] movie ids") + "\n"
                + "output: " + (s.scaledSigmoid() ? "sigmoid, rating = min + out * (max - min)" : s.finalActivation() + ", the rating")
                + "; ratings in [" + data.minRating() + ", " + data.maxRating() + "]\n");
    }

    @Override
    public Map<String, String> tags() { return trainerChoice.tags(); }

    @Override
    public long parameterCount() { return net.numParams(); }

    /** Windows of the train, validation and test parts, logged with the trial. */
    Map<String, String> windowParams() { return parts.params(); }

    @Override
    public long examplesPerEpoch() { return parts.train().size(); }

    @Override
    public String exampleUnit() { return "window"; }

    @Override
    public double trainFlopsPerExample() {
        double macs = 0;
        int in = features.channels() + (s.clusterFeatures() ? 0 : s.movieEmbeddingDim());
        for (int i = 0; i < s.layers(); i++) {
            macs += 4.0 * s.units() * (in + s.units()) * s.window();
            in = s.units();
        }
        return 6 * (macs + s.units());
    }
}
