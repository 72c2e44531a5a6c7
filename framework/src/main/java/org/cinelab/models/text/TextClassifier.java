package org.cinelab.models.text;

import org.cinelab.data.netflix.NetflixTitles.Column;
import org.cinelab.data.text.TextSplits;
import org.cinelab.metrics.ClassificationReport;
import org.cinelab.models.TrialModel;
import org.cinelab.models.dl4j.DenseEngine;
import org.cinelab.models.dl4j.DenseTrainer;
import org.cinelab.models.dl4j.NetworkCheckpoint;
import org.cinelab.models.dl4j.NetworkExport;
import org.cinelab.models.dl4j.Nd4jRuntime;
import org.cinelab.models.dl4j.RowGather;
import org.cinelab.models.dl4j.EpochOrder;
import org.cinelab.models.dl4j.SeededBatches;
import org.cinelab.models.dl4j.SequenceTrainer;
import org.cinelab.models.dl4j.TrainerChoice;
import org.cinelab.models.layers.LstmImplementation;
import org.cinelab.models.dl4j.ThroughputProbe;
import org.deeplearning4j.nn.conf.MultiLayerConfiguration;
import org.deeplearning4j.nn.conf.NeuralNetConfiguration;
import org.deeplearning4j.nn.conf.WorkspaceMode;
import org.deeplearning4j.nn.conf.layers.DenseLayer;
import org.deeplearning4j.nn.conf.layers.Layer;
import org.deeplearning4j.nn.conf.layers.OutputLayer;
import org.deeplearning4j.nn.conf.layers.recurrent.LastTimeStep;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.deeplearning4j.nn.weights.WeightInit;
import org.nd4j.linalg.activations.Activation;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.indexing.NDArrayIndex;
import org.nd4j.linalg.lossfunctions.LossFunctions;

import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * One classifier trial on DEC cluster labels. Validation metrics (loss, accuracy, macro and weighted
 * P/R/F1) drive the runner's early stopping; test adds per-class metrics, and the exported model
 * carries the sklearn-style report, the confusion matrix CSV and its heatmap.
 */
final class TextClassifier implements TrialModel, ThroughputProbe {
    private static final int MAGIC = 0x434C5443; // "CLTC"

    private final TextClassifierSettings s;
    private final TextSplits data;
    private final long seed;
    /** The epoch's example order, one array for every epoch. */
    private final EpochOrder epochOrder = new EpochOrder();
    private final ClusterLabels labels;
    private final List<String> classNames;
    private final Map<TextSplits.Part, int[]> targets = new LinkedHashMap<>();
    private final INDArray trainX;
    private final INDArray trainY;
    /** The training minibatches, gathered into arrays reused across steps. */
    private final RowGather trainRows, trainLabels;
    private final MultiLayerNetwork net;
    /** CineLab's trainer of the LSTM network (null: DL4J's fit), and the time-major minibatch it reads. */
    private final SequenceTrainer sequences;
    /** CineLab's trainer of the dense network (null: the LSTM's, or DL4J's fit). */
    private final DenseTrainer dense;
    /** Which trainer runs the steps, for the run's tags. */
    private final TrainerChoice trainerChoice = new TrainerChoice();
    private final float[][] trainValues;
    private final float[] stepValues, oneHot, probabilities;
    private final int[] stepIds;

    TextClassifier(TextClassifierSettings s, TextSplits data, long seed) {
        Nd4jRuntime.configure();
        this.s = s;
        this.data = data;
        this.seed = seed;
        this.labels = ClusterLabels.locate(s.labels(), s.decRun(), s.trackingUri(), seed);
        this.classNames = new ArrayList<>();
        for (int c = 0; c < labels.classes(); c++) classNames.add(Integer.toString(c));
        for (TextSplits.Part p : List.of(data.train(), data.validation(), data.test())) targets.put(p, targetsOf(p));
        this.trainX = input(data.train());
        this.trainY = oneHot(targets.get(data.train()));
        this.trainRows = new RowGather(trainX);
        this.trainLabels = new RowGather(trainY);
        this.net = new MultiLayerNetwork(configuration());
        net.init();
        int length = data.featureCount();
        this.dense = s.lstm() ? null : DenseEngine.trainer(s.dl4jEngine(), net, trainX, trainY, s.batchSize(), null, trainerChoice);
        if (s.lstm() && s.lstmImpl() == LstmImplementation.DL4J) trainerChoice.whyNot().accept(LstmImplementation.SETTING + ": dl4j");
        this.sequences = s.lstm() && s.lstmImpl() == LstmImplementation.CINELAB
                ? trainerChoice.chosen(SequenceTrainer.create(net, s.batchSize(), length, trainerChoice.whyNot()).orElse(null)) : null;
        this.trainValues = sequences == null ? null : data.train().dense();
        this.stepValues = sequences == null || sequences.channels() == 0 ? null : new float[s.batchSize() * length];
        this.stepIds = sequences == null || !sequences.embedsIds() ? null : new int[s.batchSize() * length];
        this.oneHot = sequences == null ? null : new float[s.batchSize() * classNames.size()];
        this.probabilities = sequences == null ? null : new float[s.batchSize() * classNames.size()];
    }

    private int[] targetsOf(TextSplits.Part p) {
        int[] t = new int[p.size()];
        for (int i = 0; i < t.length; i++) t[i] = labels.of(data.titles().get(p.rows()[i], Column.SHOW_ID));
        return t;
    }

    private INDArray input(TextSplits.Part p) {
        float[][] x = p.dense() != null ? p.dense() : p.sparse().toDenseFloat();
        if (s.lstm() && p.dense() == null) throw new IllegalArgumentException("text-lstm needs dataset option representation: sequences");
        INDArray a = Nd4j.createFromArray(x.length == 0 ? new float[0][data.featureCount()] : x);
        if (!s.lstm()) return a;
        if (s.embeddingInput()) {
            for (float[] row : x) {
                for (float v : row) {
                    if (v != Math.rint(v)) {
                        throw new IllegalArgumentException("text-lstm input: embedding needs word indices: set dataset option scale: false"
                                + " (or model param input: scalar)");
                    }
                }
            }
            return a;
        }
        return a.reshape(a.size(0), 1, a.size(1));
    }

    private INDArray oneHot(int[] t) {
        INDArray y = Nd4j.zeros(DataType.FLOAT, t.length, classNames.size());
        for (int i = 0; i < t.length; i++) y.putScalar(i, t[i], 1f);
        return y;
    }

    private MultiLayerConfiguration configuration() {
        NeuralNetConfiguration.ListBuilder list = new NeuralNetConfiguration.Builder()
                .seed(seed)
                .dataType(DataType.FLOAT)
                .trainingWorkspaceMode(WorkspaceMode.ENABLED)
                .inferenceWorkspaceMode(WorkspaceMode.ENABLED)
                .weightInit(WeightInit.XAVIER_UNIFORM)
                .updater(TextClassifierFactory.updater(s))
                .list();
        int in;
        int[] layers = s.layers();
        if (s.lstm()) {
            if (s.embeddingInput()) {
                list.layer(s.lstmImpl().sequenceEmbedding(data.vocabularySize(), s.embeddingDim(), data.featureCount(), null));
                in = s.embeddingDim();
            } else {
                in = 1;
            }
            for (int l = 0; l < layers.length; l++) {
                Layer layer = s.lstmImpl().lstm(in, layers[l], l > 0 ? s.dropout() : 0);
                list.layer(l == layers.length - 1 ? new LastTimeStep(layer) : layer);
                in = layers[l];
            }
        } else {
            in = data.featureCount();
            for (int l = 0; l < layers.length; l++) {
                DenseLayer.Builder b = new DenseLayer.Builder().nIn(in).nOut(layers[l]).activation(Activation.RELU);
                if (l > 0 && s.dropout() > 0) b.dropOut(1 - s.dropout());
                list.layer(b.build());
                in = layers[l];
            }
        }
        list.layer(new OutputLayer.Builder(LossFunctions.LossFunction.MCXENT).nIn(in).nOut(classNames.size())
                .activation(Activation.SOFTMAX).build());
        return list.build();
    }

    @Override
    public double trainEpoch(int epoch) {
        SeededBatches.seedEpoch(seed, epoch);
        int n = (int) trainX.size(0);
        int[] order = epochOrder.of(n, seed, epoch, true);
        double sum = 0;
        for (int from = 0; from < n; from += s.batchSize()) {
            int to = Math.min(n, from + s.batchSize());
            int[] batch = SeededBatches.slice(order, from, to);
            if (sequences != null) {
                sum += sequenceStep(batch) * (to - from);
                continue;
            }
            if (dense != null) {
                sum += dense.step(order, from, to) * (to - from);
                continue;
            }
            net.fit(trainRows.rows(batch), trainLabels.rows(batch));
            sum += net.score() * (to - from);
        }
        net.setEpochCount(epoch);
        return sum / n;
    }

    /** One step of CineLab's trainer: the titles' words (ids or scalar inputs) time-major, their one-hot labels. */
    private double sequenceStep(int[] batch) {
        int b = batch.length, classes = classNames.size();
        int[] truth = targets.get(data.train());
        java.util.Arrays.fill(oneHot, 0, b * classes, 0f);
        for (int k = 0; k < b; k++) {
            timeMajor(trainValues[batch[k]], k, b);
            oneHot[k * classes + truth[batch[k]]] = 1f;
        }
        return sequences.step(b, stepValues, stepIds, oneHot);
    }

    /** Title {@code k} of a minibatch of {@code b}: its words into the time-major step inputs (ids, or scalar inputs). */
    private void timeMajor(float[] words, int k, int b) {
        for (int t = 0; t < words.length; t++) {
            if (stepIds != null) stepIds[t * b + k] = (int) words[t];
            else stepValues[t * b + k] = words[t];
        }
    }

    /** Predicted class and mean cross-entropy of a part. */
    private Prediction predict(TextSplits.Part p) {
        if (sequences != null) return predictSequences(p);
        INDArray x = input(p);
        int[] truth = targets.get(p);
        int n = truth.length;
        int[] predicted = new int[n];
        double loss = 0;
        for (int from = 0; from < n; from += 512) {
            int to = Math.min(n, from + 512);
            float[][] probs = net.output(x.get(NDArrayIndex.interval(from, to)), false).toFloatMatrix();
            for (int i = 0; i < to - from; i++) {
                predicted[from + i] = mostLikely(probs[i], 0, probs[i].length);
                loss -= Math.log(Math.max(probs[i][truth[from + i]], 1e-7f));
            }
        }
        return new Prediction(new ClassificationReport(truth, predicted, classNames), n == 0 ? Double.NaN : loss / n);
    }

    /** {@link #predict} through CineLab's inference, in the training step's buffers (DL4J's {@code output} allocated per batch). */
    private Prediction predictSequences(TextSplits.Part p) {
        float[][] titles = p.dense();
        int[] truth = targets.get(p);
        int n = truth.length, classes = classNames.size();
        int[] predicted = new int[n];
        double loss = 0;
        for (int from = 0; from < n; from += s.batchSize()) {
            int b = Math.min(n - from, s.batchSize());
            for (int k = 0; k < b; k++) timeMajor(titles[from + k], k, b);
            sequences.predict(b, stepValues, stepIds, probabilities);
            for (int k = 0; k < b; k++) {
                predicted[from + k] = mostLikely(probabilities, k * classes, classes);
                loss -= Math.log(Math.max(probabilities[k * classes + truth[from + k]], 1e-7f));
            }
        }
        return new Prediction(new ClassificationReport(truth, predicted, classNames), n == 0 ? Double.NaN : loss / n);
    }

    /** The class of the highest probability among {@code p[at .. at + classes)} (the first on ties). */
    private static int mostLikely(float[] p, int at, int classes) {
        int best = 0;
        for (int c = 1; c < classes; c++) if (p[at + c] > p[at + best]) best = c;
        return best;
    }

    private record Prediction(ClassificationReport report, double loss) {}

    @Override
    public Map<String, Double> evaluate(Split split) {
        Prediction p = predict(split == Split.TEST ? data.test() : data.validation());
        Map<String, Double> m = new LinkedHashMap<>();
        m.put("loss", p.loss());
        m.putAll(p.report().asMap(split == Split.TEST));
        if (split == Split.TEST) m.putAll(majorityBaseline());
        return m;
    }

    /**
     * What predicting the most frequent training class for every test title scores
     * ({@code majority_accuracy}, {@code majority_macro_f1}, {@code majority_weighted_f1}): the floor a
     * classifier of these clusters must beat, computed from the labels this trial trains on.
     */
    Map<String, Double> majorityBaseline() {
        int[] counts = new int[classNames.size()];
        for (int c : targets.get(data.train())) counts[c]++;
        int majority = 0;
        for (int c = 1; c < counts.length; c++) if (counts[c] > counts[majority]) majority = c;
        int[] truth = targets.get(data.test());
        int[] constant = new int[truth.length];
        java.util.Arrays.fill(constant, majority);
        ClassificationReport r = new ClassificationReport(truth, constant, classNames);
        return Map.of("majority_accuracy", r.accuracy(), "majority_macro_f1", r.macroF1(), "majority_weighted_f1", r.weightedF1());
    }

    @Override
    public void saveCheckpoint(DataOutputStream out) throws IOException {
        NetworkCheckpoint.write(out, MAGIC, net);
    }

    @Override
    public void loadCheckpoint(DataInputStream in) throws IOException {
        NetworkCheckpoint.read(in, MAGIC, "text classifier", net);
    }

    @Override
    public void exportModel(Path dir) throws IOException {
        NetworkExport.write(dir, "model.zip", net, "Classifier of titles into DEC clusters (CineLab), DL4J MultiLayerNetwork in model.zip\n"
                + "labels: " + labels.source() + "\ninput: " + data.representation() + " of " + data.featureCount() + " columns\n");
        ClassificationReport r = predict(data.test()).report();
        Files.writeString(dir.resolve("classification_report.txt"), r.text(), StandardCharsets.UTF_8);
        Files.writeString(dir.resolve("confusion_matrix.csv"), r.confusionCsv(), StandardCharsets.UTF_8);
        ConfusionHeatmap.write(r.confusion(), classNames, (s.lstm() ? "text-lstm" : "text-dnn") + ": test confusion matrix",
                dir.resolve("confusion_matrix.png"));
    }

    @Override
    public Map<String, String> tags() { return trainerChoice.tags(); }

    @Override
    public long parameterCount() { return net.numParams(); }

    @Override
    public long examplesPerEpoch() { return trainX.size(0); }

    @Override
    public String exampleUnit() { return "title"; }

    @Override
    public double trainFlopsPerExample() {
        if (!s.lstm()) {
            int[] w = new int[s.layers().length + 2];
            w[0] = data.featureCount();
            System.arraycopy(s.layers(), 0, w, 1, s.layers().length);
            w[w.length - 1] = classNames.size();
            return ThroughputProbe.denseTrainFlops(w);
        }
        double macs = 0;
        int in = s.embeddingInput() ? s.embeddingDim() : 1;
        for (int u : s.layers()) {
            macs += 4.0 * (in + u) * u * data.featureCount();
            in = u;
        }
        return 6 * macs;
    }
}
