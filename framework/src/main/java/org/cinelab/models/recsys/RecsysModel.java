package org.cinelab.models.recsys;

import org.cinelab.data.MovieLensFeatures;
import org.cinelab.data.RatingSplits;
import org.cinelab.data.RatingTable;
import org.cinelab.metrics.RetrievalEvaluator;
import org.cinelab.models.TrialModel;
import org.cinelab.models.dl4j.DenseEngine;
import org.cinelab.models.dl4j.TrainerChoice;
import org.cinelab.models.dl4j.NetworkCheckpoint;
import org.cinelab.models.dl4j.NetworkExport;
import org.cinelab.models.dl4j.Nd4jRuntime;
import org.cinelab.models.dl4j.RatingMetrics;
import org.cinelab.models.dl4j.EpochOrder;
import org.cinelab.models.dl4j.SeededBatches;
import org.cinelab.models.dl4j.ThroughputProbe;
import org.cinelab.models.dl4j.TowerTrainer;
import org.deeplearning4j.nn.graph.ComputationGraph;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.dataset.MultiDataSet;
import org.nd4j.linalg.factory.Nd4j;

import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.nio.file.Path;
import java.util.EnumMap;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * One trial of an embedding recommender (see {@link RecsysGraphs}): trained on shuffled training
 * ratings, one rating per example. Rating metrics come from the {@code rating} output; a two-tower
 * model also reports its in-batch retrieval loss and, from the towers' dot-product scores over all
 * movies, the shared {@link RetrievalEvaluator} metrics (top-k accuracy, recall@k, NDCG@k at
 * {@link RetrievalEvaluator#DEFAULT_KS}) with and without the user's training movies as candidates.
 */
final class RecsysModel implements TrialModel, ThroughputProbe {
    private static final int MAGIC = 0x434C5253; // "CLRS"

    private final RecsysSettings s;
    private final RatingSplits data;
    private final long seed;
    /** The epoch's example order, one array for every epoch. */
    private final EpochOrder epochOrder = new EpochOrder();
    private final MovieLensFeatures features;
    private final RecsysInputs inputs;
    private final ComputationGraph net;
    private final boolean regularised;
    private final Map<Split, RetrievalEvaluator> retrievalEvaluators = new EnumMap<>(Split.class);
    /** log of each movie's share of the training ratings: how often it appears as an in-batch negative. */
    private final float[] logQ;
    /** CineLab's trainer, or null when DL4J's fit trains the graph; and its minibatch arrays, filled in place. */
    private final TowerTrainer trainer;
    /** Which trainer runs the steps, for the run's tags. */
    private final TrainerChoice trainerChoice = new TrainerChoice();
    private final int[] batchUsers, batchItems;
    private final float[] batchRatings, batchLogQ;

    /** {@code features} may be null when the settings use ids only. */
    RecsysModel(RecsysSettings s, RatingSplits data, MovieLensFeatures features, long seed) {
        Nd4jRuntime.configure();
        this.s = s;
        this.data = data;
        this.seed = seed;
        this.features = features;
        this.inputs = RecsysGraphs.inputs(s, features);
        this.net = new ComputationGraph(RecsysGraphs.build(s, data.numUsers(), data.numItems(), features, data.train().meanRating(), seed));
        net.init();
        this.regularised = s.l2() > 0 || s.weightDecay() > 0;
        this.logQ = s.logQCorrection() ? logSamplingProbabilities(data.train(), data.numItems()) : null;
        this.trainer = DenseEngine.trainer(s.dl4jEngine(), net, s.batchSize(), trainerChoice);
        batchUsers = new int[s.batchSize()];
        batchItems = new int[s.batchSize()];
        batchRatings = new float[s.batchSize()];
        batchLogQ = new float[s.batchSize()];
    }

    /** Movies never rated in training never appear in a batch; they get the rarest possible log q. */
    static float[] logSamplingProbabilities(RatingTable train, int numItems) {
        int[] counts = new int[numItems];
        for (int j = 0; j < train.size(); j++) counts[train.item(j)]++;
        float[] logQ = new float[numItems];
        for (int i = 0; i < numItems; i++) logQ[i] = (float) Math.log(Math.max(1, counts[i]) / (double) train.size());
        return logQ;
    }

    /** Mean loss of the epoch's batches (weighted sum of the heads' losses), without DL4J's regularisation term. */
    @Override
    public double trainEpoch(int epoch) {
        SeededBatches.seedEpoch(seed, epoch);
        RatingTable train = data.train();
        int[] order = epochOrder.of(train.size(), seed, epoch, true);
        double lossSum = 0;
        int batches = 0;
        for (int from = 0; from < order.length; from += s.batchSize()) {
            int to = Math.min(order.length, from + s.batchSize());
            if (to - from < 2 && s.hasRetrieval()) continue; // a softmax over one movie has nothing to learn
            if (trainer != null) {
                lossSum += trainerStep(train, order, from, to);
                batches++;
                continue;
            }
            int[] rows = SeededBatches.slice(order, from, to);
            double penalty = regularised ? net.calcRegularizationScore(true) : 0;
            net.fit(dataSet(train, rows));
            lossSum += net.score() - penalty;
            batches++;
        }
        net.getConfiguration().setEpochCount(epoch);
        return lossSum / Math.max(1, batches);
    }

    private double trainerStep(RatingTable t, int[] order, int from, int to) {
        for (int k = 0; k < to - from; k++) {
            int row = order[from + k];
            batchUsers[k] = t.user(row);
            batchItems[k] = t.item(row);
            batchRatings[k] = t.rating(row);
            if (logQ != null) batchLogQ[k] = logQ[t.item(row)];
        }
        return trainer.step(batchUsers, batchItems, batchRatings, logQ == null ? null : batchLogQ, to - from);
    }

    private MultiDataSet dataSet(RatingTable t, int[] rows) {
        INDArray[] features = inputs.batch(t, rows);
        INDArray ratings = RecsysInputs.ratings(t, rows);
        if (!s.hasRetrieval()) return new MultiDataSet(features, new INDArray[]{ratings});
        // the in-batch softmax reads no labels except, with the correction, log q in the first column
        INDArray retrieval = Nd4j.zeros(DataType.FLOAT, rows.length, 2L * s.embeddingDim());
        if (logQ != null) {
            float[] q = new float[rows.length];
            for (int k = 0; k < rows.length; k++) q[k] = logQ[t.item(rows[k])];
            retrieval.putColumn(0, Nd4j.createFromArray(q));
        }
        return new MultiDataSet(features, new INDArray[]{ratings, retrieval});
    }

    @Override
    public Map<String, Double> evaluate(Split split) {
        RatingTable t = split == Split.TEST ? data.test() : data.validation();
        RatingMetrics metrics = new RatingMetrics(data.numUsers());
        int chunk = 8192;
        for (int from = 0; from < t.size(); from += chunk) {
            int[] rows = SeededBatches.order(Math.min(chunk, t.size() - from), 0, 0, false);
            for (int k = 0; k < rows.length; k++) rows[k] += from;
            INDArray predicted = net.output(false, inputs.batch(t, rows))[0];
            for (int k = 0; k < rows.length; k++) {
                double p = predicted.getDouble(k, 0);
                if (s.clip()) p = Math.max(data.minRating(), Math.min(data.maxRating(), p));
                metrics.add(t.user(rows[k]), p, t.rating(rows[k]));
            }
        }
        Map<String, Double> m = new LinkedHashMap<>(metrics.asMap());
        if (s.hasRetrieval()) {
            m.put("retrieval_loss", retrievalLoss(t));
            m.putAll(retrievalMetrics(split, t));
        }
        return m;
    }

    /** Both candidate sets from one scoring pass; "training movies" are the split the model trained on. */
    private Map<String, Double> retrievalMetrics(Split split, RatingTable heldOut) {
        RetrievalEvaluator evaluator = retrievalEvaluators.computeIfAbsent(split, x ->
                new RetrievalEvaluator(data.train(), heldOut, data.numUsers(), data.numItems()).parallel());
        float[][] scores = userEmbeddings().mmul(itemEmbeddings().transpose()).toFloatMatrix();
        return evaluator.evaluateBoth(user -> scores[user], RetrievalEvaluator.DEFAULT_KS);
    }

    /** Mean in-batch softmax loss over the split in fixed (id-order) batches of {@code batch_size}. */
    private double retrievalLoss(RatingTable t) {
        InBatchSoftmaxLoss loss = new InBatchSoftmaxLoss(1.0, false);
        double sum = 0;
        int n = 0;
        for (int from = 0; from + 1 < t.size(); from += s.batchSize()) {
            int[] rows = SeededBatches.order(Math.min(s.batchSize(), t.size() - from), 0, 0, false);
            for (int k = 0; k < rows.length; k++) rows[k] += from;
            Map<String, INDArray> acts = net.feedForward(inputs.batch(t, rows), false);
            INDArray pair = Nd4j.hstack(acts.get(RecsysGraphs.USER_TOWER), acts.get(RecsysGraphs.ITEM_TOWER));
            sum += loss.computeScore(pair, pair, new org.nd4j.linalg.activations.impl.ActivationIdentity(), null, false);
            n += rows.length;
        }
        return n == 0 ? Double.NaN : sum / n;
    }

    INDArray userEmbeddings() {
        int[] users = SeededBatches.order(data.numUsers(), 0, 0, false);
        return net.feedForward(inputs.ids(users, new int[users.length]), false).get(RecsysGraphs.USER_TOWER);
    }

    INDArray itemEmbeddings() {
        int[] items = SeededBatches.order(data.numItems(), 0, 0, false);
        return net.feedForward(inputs.ids(new int[items.length], items), false).get(RecsysGraphs.ITEM_TOWER);
    }

    @Override
    public void saveCheckpoint(DataOutputStream out) throws IOException {
        NetworkCheckpoint.write(out, MAGIC, net);
    }

    @Override
    public void loadCheckpoint(DataInputStream in) throws IOException {
        NetworkCheckpoint.read(in, MAGIC, "embedding-recommender", net);
    }

    @Override
    public void exportModel(Path dir) throws IOException {
        String readme = "Embedding recommender (" + s.kind() + ", CineLab), DL4J ComputationGraph in model.zip (ModelSerializer, with updater)\n"
                + "inputs: user (dense id, [batch,1]), item (dense id, [batch,1]); ids are MovieLens raw id - 1\n"
                + (s.hasFeatures() ? "feature inputs, in this order after user and item: " + String.join(", ", inputs.names().subList(2, inputs.names().size()))
                        + " (categorical: [batch,1] index as TowerFeature; genres, title: [batch,size] multi-hot / token counts)\n" : "")
                + "outputs: rating" + (s.clip() ? " (clip to [" + data.minRating() + ", " + data.maxRating() + "])" : "")
                + (s.hasRetrieval() ? "; user_tower / item_tower activations are the retrieval embeddings (score = dot product)" : "") + "\n"
                + "custom classes: org.cinelab.models.recsys.CrossNetworkLayer, InBatchSoftmaxLoss\n";
        NetworkExport.write(dir, "model.zip", net, readme);
    }

    @Override
    public Map<String, String> tags() { return trainerChoice.tags(); }

    @Override
    public long parameterCount() { return net.numParams(); }

    @Override
    public long examplesPerEpoch() { return data.train().size(); }

    @Override
    public String exampleUnit() { return "rating"; }

    @Override
    public long stepsPerEpoch() {
        int n = data.train().size(), full = n / s.batchSize(), rest = n % s.batchSize();
        return full + (rest >= 2 || rest == 1 && !s.hasRetrieval() ? 1 : 0);
    }

    @Override
    public double trainFlopsPerExample() { return 6.0 * RecsysGraphs.multiplyAdds(s, features); }

    ComputationGraph network() { return net; }
}
