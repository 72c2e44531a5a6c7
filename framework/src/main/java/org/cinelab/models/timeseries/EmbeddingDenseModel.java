package org.cinelab.models.timeseries;

import org.cinelab.data.RatingSplits;
import org.cinelab.data.RatingTable;
import org.cinelab.models.TrialModel;
import org.cinelab.models.dl4j.DenseEngine;
import org.cinelab.models.dl4j.TrainerChoice;
import org.cinelab.models.dl4j.NetworkCheckpoint;
import org.cinelab.models.dl4j.NetworkExport;
import org.cinelab.models.dl4j.Nd4jRuntime;
import org.cinelab.models.dl4j.Optimisers;
import org.cinelab.models.dl4j.RatingMetrics;
import org.cinelab.models.dl4j.EpochOrder;
import org.cinelab.models.dl4j.SeededBatches;
import org.cinelab.models.dl4j.ThroughputProbe;
import org.cinelab.models.dl4j.TowerTrainer;
import org.deeplearning4j.nn.conf.ComputationGraphConfiguration;
import org.deeplearning4j.nn.conf.NeuralNetConfiguration;
import org.deeplearning4j.nn.conf.WorkspaceMode;
import org.deeplearning4j.nn.conf.graph.MergeVertex;
import org.deeplearning4j.nn.conf.layers.DenseLayer;
import org.deeplearning4j.nn.conf.layers.EmbeddingLayer;
import org.deeplearning4j.nn.conf.layers.OutputLayer;
import org.deeplearning4j.nn.graph.ComputationGraph;
import org.deeplearning4j.nn.weights.WeightInit;
import org.nd4j.linalg.activations.Activation;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.dataset.MultiDataSet;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.lossfunctions.impl.LossMSE;

import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Map;

/** One trial of {@link EmbeddingDenseFactory}: a ComputationGraph over (user id, movie id) pairs. */
final class EmbeddingDenseModel implements TrialModel, ThroughputProbe {
    private static final int MAGIC = 0x434C4544; // "CLED"

    record Settings(int embeddingDim, int[] hidden, double dropout, double lr, String optimizer, int batchSize, boolean clip,
                    boolean dl4jEngine) {}

    private final Settings s;
    private final RatingSplits data;
    private final long seed;
    /** The epoch's example order, one array for every epoch. */
    private final EpochOrder epochOrder = new EpochOrder();
    private final ComputationGraph net;
    /** CineLab's trainer, or null when DL4J's fit trains the graph; and its minibatch arrays. */
    private final TowerTrainer trainer;
    /** Which trainer runs the steps, for the run's tags. */
    private final TrainerChoice trainerChoice = new TrainerChoice();
    private final int[] batchUsers, batchItems;
    private final float[] batchRatings;

    EmbeddingDenseModel(Settings s, RatingSplits data, long seed) {
        Nd4jRuntime.configure();
        this.s = s;
        this.data = data;
        this.seed = seed;
        this.net = new ComputationGraph(graph(s, data.numUsers(), data.numItems(), seed));
        net.init();
        this.trainer = DenseEngine.trainer(s.dl4jEngine(), net, s.batchSize(), trainerChoice);
        batchUsers = new int[s.batchSize()];
        batchItems = new int[s.batchSize()];
        batchRatings = new float[s.batchSize()];
    }

    static ComputationGraphConfiguration graph(Settings s, int numUsers, int numItems, long seed) {
        ComputationGraphConfiguration.GraphBuilder g = new NeuralNetConfiguration.Builder()
                .seed(seed)
                .dataType(DataType.FLOAT)
                .trainingWorkspaceMode(WorkspaceMode.ENABLED)
                .inferenceWorkspaceMode(WorkspaceMode.ENABLED)
                .weightInit(WeightInit.XAVIER)
                .updater(Optimisers.create(s.optimizer(), s.lr(), 0.9, 1e-7))
                .graphBuilder()
                .addInputs("user", "item");
        int d = s.embeddingDim();
        g.addLayer("user_embedding", new EmbeddingLayer.Builder().nIn(numUsers).nOut(d).activation(Activation.IDENTITY)
                .weightInit(WeightInit.UNIFORM).build(), "user");
        g.addLayer("item_embedding", new EmbeddingLayer.Builder().nIn(numItems).nOut(d).activation(Activation.IDENTITY)
                .weightInit(WeightInit.UNIFORM).build(), "item");
        g.addVertex("x0", new MergeVertex(), "user_embedding", "item_embedding");
        String prev = "x0";
        int in = 2 * d;
        for (int i = 0; i < s.hidden().length; i++) {
            DenseLayer.Builder layer = new DenseLayer.Builder().nIn(in).nOut(s.hidden()[i]).activation(Activation.RELU);
            if (i > 0 && s.dropout() > 0) layer.dropOut(1.0 - s.dropout()); // DL4J takes the retain probability
            g.addLayer("dense" + i, layer.build(), prev);
            prev = "dense" + i;
            in = s.hidden()[i];
        }
        g.addLayer("rating", new OutputLayer.Builder(new LossMSE()).nIn(in).nOut(1).activation(Activation.IDENTITY).build(), prev);
        g.setOutputs("rating");
        return g.build();
    }

    @Override
    public double trainEpoch(int epoch) {
        SeededBatches.seedEpoch(seed, epoch);
        RatingTable train = data.train();
        int[] order = epochOrder.of(train.size(), seed, epoch, true);
        double lossSum = 0;
        int batches = 0;
        for (int from = 0; from < order.length; from += s.batchSize()) {
            int to = Math.min(order.length, from + s.batchSize());
            if (trainer != null) {
                for (int k = 0; k < to - from; k++) {
                    int row = order[from + k];
                    batchUsers[k] = train.user(row);
                    batchItems[k] = train.item(row);
                    batchRatings[k] = train.rating(row);
                }
                lossSum += trainer.step(batchUsers, batchItems, batchRatings, null, to - from);
                batches++;
                continue;
            }
            int[] rows = SeededBatches.slice(order, from, to);
            net.fit(new MultiDataSet(inputs(train, rows), new INDArray[]{column(train.ratings(), rows)}));
            lossSum += net.score();
            batches++;
        }
        net.getConfiguration().setEpochCount(epoch);
        return lossSum / Math.max(1, batches);
    }

    @Override
    public Map<String, Double> evaluate(Split split) {
        RatingTable t = split == Split.TEST ? data.test() : data.validation();
        RatingMetrics metrics = new RatingMetrics(data.numUsers());
        int chunk = 8192;
        for (int from = 0; from < t.size(); from += chunk) {
            int[] rows = new int[Math.min(chunk, t.size() - from)];
            for (int k = 0; k < rows.length; k++) rows[k] = from + k;
            INDArray predicted = net.output(false, inputs(t, rows))[0];
            for (int k = 0; k < rows.length; k++) {
                double p = predicted.getDouble(k, 0);
                if (s.clip()) p = Math.max(data.minRating(), Math.min(data.maxRating(), p));
                metrics.add(t.user(rows[k]), p, t.rating(rows[k]));
            }
        }
        return metrics.asMap();
    }

    private static INDArray[] inputs(RatingTable t, int[] rows) {
        float[] u = new float[rows.length], i = new float[rows.length];
        for (int k = 0; k < rows.length; k++) {
            u[k] = t.user(rows[k]);
            i[k] = t.item(rows[k]);
        }
        return new INDArray[]{Nd4j.createFromArray(u).reshape(rows.length, 1), Nd4j.createFromArray(i).reshape(rows.length, 1)};
    }

    private static INDArray column(float[] values, int[] rows) {
        float[] v = new float[rows.length];
        for (int k = 0; k < rows.length; k++) v[k] = values[rows[k]];
        return Nd4j.createFromArray(v).reshape(rows.length, 1);
    }

    @Override
    public void saveCheckpoint(DataOutputStream out) throws IOException {
        NetworkCheckpoint.write(out, MAGIC, net);
    }

    @Override
    public void loadCheckpoint(DataInputStream in) throws IOException {
        NetworkCheckpoint.read(in, MAGIC, "embedding-dense", net);
    }

    @Override
    public void exportModel(Path dir) throws IOException {
        NetworkExport.write(dir, "model.zip", net, "embedding-dense (CineLab), DL4J ComputationGraph in model.zip (ModelSerializer, with updater)\n"
                + "inputs: user, item (dense ids as [batch,1] floats); output: rating"
                + (s.clip() ? ", clipped to [" + data.minRating() + ", " + data.maxRating() + "]" : "") + "\n"
                + "embedding_dim=" + s.embeddingDim() + " hidden=" + Arrays.toString(s.hidden()) + " dropout=" + s.dropout() + "\n");
    }

    @Override
    public Map<String, String> tags() { return trainerChoice.tags(); }

    @Override
    public long parameterCount() { return net.numParams(); }

    ComputationGraph network() { return net; }


    @Override
    public long examplesPerEpoch() { return data.train().size(); }

    @Override
    public String exampleUnit() { return "rating"; }

    @Override
    public long stepsPerEpoch() { return (data.train().size() + s.batchSize() - 1) / s.batchSize(); }

    @Override
    public double trainFlopsPerExample() {
        int[] widths = new int[s.hidden().length + 2];
        widths[0] = 2 * s.embeddingDim();
        System.arraycopy(s.hidden(), 0, widths, 1, s.hidden().length);
        widths[widths.length - 1] = 1;
        return ThroughputProbe.denseTrainFlops(widths);
    }
}
