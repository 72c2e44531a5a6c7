package org.cinelab.models.dl4j;

import org.cinelab.models.layers.LstmImplementation;
import org.deeplearning4j.nn.conf.ComputationGraphConfiguration;
import org.deeplearning4j.nn.conf.NeuralNetConfiguration;
import org.deeplearning4j.nn.conf.WorkspaceMode;
import org.deeplearning4j.nn.conf.graph.MergeVertex;
import org.deeplearning4j.nn.conf.layers.Layer;
import org.deeplearning4j.nn.conf.layers.OutputLayer;
import org.deeplearning4j.nn.conf.layers.recurrent.LastTimeStep;
import org.deeplearning4j.nn.graph.ComputationGraph;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.deeplearning4j.nn.weights.WeightInit;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.activations.Activation;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.dataset.MultiDataSet;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.learning.config.Adam;
import org.nd4j.linalg.learning.config.IUpdater;
import org.nd4j.linalg.learning.config.Nesterovs;
import org.nd4j.linalg.learning.config.RmsProp;
import org.nd4j.linalg.lossfunctions.LossFunctions;
import org.nd4j.linalg.lossfunctions.impl.LossMSE;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.function.Consumer;

import static org.junit.jupiter.api.Assertions.*;

/**
 * The sequence trainer computes what DL4J's {@code fit} computes for the LSTM models' networks:
 * from the same network and minibatches (dropout masks drawn from the same seeds) it gives the
 * same losses and parameters after every step, to float rounding; networks it does not implement
 * are left to DL4J with the reason.
 */
class SequenceTrainerTest {
    private static final Consumer<String> FAIL = reason -> fail("not supported: " + reason);
    private static final int STEPS = 7, VOCABULARY = 30, CLASSES = 4;

    private static NeuralNetConfiguration.Builder base(IUpdater updater) {
        return new NeuralNetConfiguration.Builder().seed(11).dataType(DataType.FLOAT).trainingWorkspaceMode(WorkspaceMode.ENABLED)
                .inferenceWorkspaceMode(WorkspaceMode.ENABLED).weightInit(WeightInit.XAVIER_UNIFORM).updater(updater);
    }

    /** The text LSTM's shape: word ids, embedding, LSTMs (dropout between them), softmax over classes. */
    private static MultiLayerNetwork textNet(LstmImplementation impl, boolean embedding, int[] hidden, double dropout) {
        return textNet(impl, embedding, hidden, dropout, false);
    }

    /** @param dropFirst whether the first LSTM's input (the embedding) is dropped too (the models never do) */
    private static MultiLayerNetwork textNet(LstmImplementation impl, boolean embedding, int[] hidden, double dropout, boolean dropFirst) {
        // the study's SGD with Nesterov momentum for the embedding network, RMSprop for the other
        NeuralNetConfiguration.ListBuilder list = base(embedding ? new Nesterovs(0.05, 0.9) : new RmsProp(0.01, 0.9, 1e-7)).list();
        int in = 1;
        if (embedding) {
            list.layer(impl.sequenceEmbedding(VOCABULARY, 5, STEPS, null));
            in = 5;
        }
        for (int l = 0; l < hidden.length; l++) {
            Layer layer = impl.lstm(in, hidden[l], l > 0 || dropFirst ? dropout : 0);
            list.layer(l == hidden.length - 1 ? new LastTimeStep(layer) : layer);
            in = hidden[l];
        }
        list.layer(new OutputLayer.Builder(LossFunctions.LossFunction.MCXENT).nIn(in).nOut(CLASSES).activation(Activation.SOFTMAX).build());
        MultiLayerNetwork net = new MultiLayerNetwork(list.build());
        net.init();
        return net;
    }

    /** The time-aware LSTM's graph: step channels and movie ids, the ids embedded and appended, LSTMs, one rating output. */
    private static ComputationGraph timeNet(int channels, boolean ids, int layers, double dropout, Activation output) {
        ComputationGraphConfiguration.GraphBuilder g = base(new Adam(0.005, 0.9, 0.999, 1e-7)).graphBuilder();
        String prev = "steps";
        int in = channels;
        if (ids) {
            g.addInputs("steps", "items");
            g.addLayer("movie_embedding", LstmImplementation.CINELAB.sequenceEmbedding(VOCABULARY, 4, STEPS, WeightInit.UNIFORM), "items");
            g.addVertex("step_inputs", new MergeVertex(), "steps", "movie_embedding");
            prev = "step_inputs";
            in += 4;
        } else {
            g.addInputs("steps");
        }
        for (int i = 0; i < layers; i++) {
            Layer lstm = LstmImplementation.CINELAB.lstm(in, 6, i > 0 ? dropout : 0);
            g.addLayer("lstm" + i, i == layers - 1 ? new LastTimeStep(lstm) : lstm, prev);
            prev = "lstm" + i;
            in = 6;
        }
        OutputLayer.Builder out = new OutputLayer.Builder(new LossMSE()).nIn(in).nOut(1).activation(output);
        if (dropout > 0) out.dropOut(1.0 - dropout);
        g.addLayer("rating", out.build(), prev);
        g.setOutputs("rating");
        ComputationGraph net = new ComputationGraph(g.build());
        net.init();
        return net;
    }

    /** One minibatch in both forms: DL4J's arrays and the trainer's time-major ones. */
    private record Batch(int size, INDArray[] inputs, INDArray labels, float[] channels, int[] ids, float[] targets) {}

    private static Batch batch(SplittableRandom rng, int size, int channels, boolean ids, int outputs, boolean oneHot) {
        float[] c = new float[STEPS * size * channels];
        float[] x = new float[size * channels * STEPS]; // DL4J's [batch, channels, steps]
        int[] id = new int[STEPS * size];
        float[] idRows = new float[size * STEPS];
        for (int b = 0; b < size; b++) {
            // pre-padded as the titles are: id 0 for the first steps, so one id repeats along a time step's rows
            int padding = rng.nextInt(STEPS);
            for (int t = 0; t < STEPS; t++) {
                for (int j = 0; j < channels; j++) {
                    float v = (float) rng.nextGaussian();
                    c[(t * size + b) * channels + j] = v;
                    x[(b * channels + j) * STEPS + t] = v;
                }
                int w = t < padding ? 0 : rng.nextInt(VOCABULARY);
                id[t * size + b] = w;
                idRows[b * STEPS + t] = w;
            }
        }
        float[] y = new float[size * outputs];
        for (int b = 0; b < size; b++) {
            if (oneHot) y[b * outputs + rng.nextInt(outputs)] = 1;
            else y[b] = (float) rng.nextDouble();
        }
        List<INDArray> in = new ArrayList<>();
        if (channels > 0) in.add(Nd4j.createFromArray(x).reshape(size, channels, STEPS));
        if (ids) in.add(Nd4j.createFromArray(idRows).reshape(size, STEPS));
        return new Batch(size, in.toArray(INDArray[]::new), Nd4j.createFromArray(y).reshape(size, outputs), c, id, y);
    }

    private static void assertSameParameters(INDArray expected, INDArray actual, int step) {
        double scale = Math.max(1e-3, expected.amaxNumber().doubleValue());
        double diff = expected.sub(actual).amaxNumber().doubleValue();
        assertTrue(diff <= 2e-5 * scale, "step " + step + ": parameters differ by " + diff + " (largest " + scale + ")");
    }

    /**
     * The trainer's inference gives DL4J's {@code output} on the same parameters; the caller's next step
     * then checks that predicting drew no dropout mask (its step would differ from DL4J's fit).
     */
    private static void assertSamePredictions(INDArray expected, SequenceTrainer trainer, Batch b, int outputs, int step) {
        float[] predicted = new float[b.size() * outputs];
        trainer.predict(b.size(), b.channels(), b.ids(), predicted);
        for (int r = 0; r < b.size(); r++) {
            for (int j = 0; j < outputs; j++) {
                double want = expected.getDouble(r, j);
                assertEquals(want, predicted[r * outputs + j], 2e-5 * Math.max(1, Math.abs(want)), "step " + step + ", output (" + r + ", " + j + ")");
            }
        }
    }

    private static void assertSameTextTraining(boolean embedding, int[] hidden, double dropout) {
        assertSameTextTraining(embedding, hidden, dropout, false);
    }

    private static void assertSameTextTraining(boolean embedding, int[] hidden, double dropout, boolean dropFirst) {
        Nd4jRuntime.configure();
        MultiLayerNetwork dl4j = textNet(LstmImplementation.CINELAB, embedding, hidden, dropout, dropFirst), fast = dl4j.clone();
        SequenceTrainer trainer = SequenceTrainer.create(fast, 9, STEPS, FAIL).orElseThrow();
        assertEquals(embedding, trainer.embedsIds());
        assertEquals(embedding ? 0 : 1, trainer.channels());
        SplittableRandom rng = new SplittableRandom(4);
        for (int s = 0; s < 8; s++) {
            Batch b = batch(rng, s % 3 == 2 ? 1 + s % 5 : 9, embedding ? 0 : 1, embedding, CLASSES, true);
            assertSamePredictions(dl4j.output(b.inputs()[0], false), trainer, b, CLASSES, s);
            Nd4j.getRandom().setSeed(100 + s);
            dl4j.fit(b.inputs()[0], b.labels());
            Nd4j.getRandom().setSeed(100 + s);
            double loss = trainer.step(b.size(), b.channels(), b.ids(), b.targets());
            assertEquals(dl4j.score(), loss, 1e-4 * Math.max(1, loss), "loss at step " + s);
            assertSameParameters(dl4j.params(), fast.params(), s);
            assertEquals(dl4j.getIterationCount(), fast.getIterationCount());
        }
        assertEquals(dl4j.output(batch(rng, 3, embedding ? 0 : 1, embedding, CLASSES, true).inputs()[0]).shape()[1], CLASSES);
    }

    @Test
    void theTextLstmWithEmbeddingAndDropoutTrainsAsWithDl4jFit() {
        assertSameTextTraining(true, new int[]{6, 5}, 0.3);
    }

    @Test
    void threeLayersWithEveryInputDroppedAndABatchOfOneTrainAsWithDl4jFit() {
        assertSameTextTraining(true, new int[]{5, 4, 6}, 0.4, true);
    }

    @Test
    void aScalarInputLstmTrainsAsWithDl4jFit() {
        assertSameTextTraining(false, new int[]{8}, 0);
    }

    private static void assertSameTimeTraining(int channels, boolean ids, int layers, double dropout, Activation output) {
        Nd4jRuntime.configure();
        ComputationGraph dl4j = timeNet(channels, ids, layers, dropout, output), fast = dl4j.clone();
        SequenceTrainer trainer = SequenceTrainer.create(fast, 8, STEPS, FAIL).orElseThrow();
        SplittableRandom rng = new SplittableRandom(6);
        for (int s = 0; s < 8; s++) {
            Batch b = batch(rng, s % 4 == 3 ? 3 : 8, channels, ids, 1, false);
            assertSamePredictions(dl4j.output(false, b.inputs())[0], trainer, b, 1, s);
            Nd4j.getRandom().setSeed(200 + s);
            dl4j.fit(new MultiDataSet(b.inputs(), new INDArray[]{b.labels()}));
            Nd4j.getRandom().setSeed(200 + s);
            double loss = trainer.step(b.size(), b.channels(), b.ids(), b.targets());
            assertEquals(dl4j.score(), loss, 1e-4 * Math.max(1, loss), "loss at step " + s);
            assertSameParameters(dl4j.params(), fast.params(), s);
            assertEquals(dl4j.getConfiguration().getIterationCount(), fast.getConfiguration().getIterationCount());
        }
    }

    /**
     * A prediction allocates nothing once compiled: evaluation runs in the steps' buffers (DL4J's
     * {@code output} allocated ~47 kB of heap a call on this batch, ~3.6 MB per 4,096 time-lstm windows),
     * and the LSTM's native copies re-aim each thread's pointers (two made per copy were 192 B a call here).
     * Steps are left to the bench's heap-per-epoch figure: their vector code needs more warm-up than a test affords.
     */
    @Test
    void predictingAllocatesNothingOnceCompiled() {
        Nd4jRuntime.configure();
        ComputationGraph net = timeNet(3, true, 2, 0.25, Activation.SWISH);
        SequenceTrainer trainer = SequenceTrainer.create(net, 8, STEPS, FAIL).orElseThrow();
        Batch b = batch(new SplittableRandom(8), 8, 3, true, 1, false);
        float[] out = new float[8];
        for (int i = 0; i < 5_000; i++) trainer.predict(b.size(), b.channels(), b.ids(), out); // compiled
        com.sun.management.ThreadMXBean threads = (com.sun.management.ThreadMXBean) java.lang.management.ManagementFactory.getThreadMXBean();
        long before = threads.getThreadAllocatedBytes(Thread.currentThread().getId());
        for (int i = 0; i < 1000; i++) trainer.predict(b.size(), b.channels(), b.ids(), out);
        long bytes = threads.getThreadAllocatedBytes(Thread.currentThread().getId()) - before;
        assertTrue(bytes < 64_000, bytes + " bytes of heap over 1,000 predictions"); // room for what the JIT may leave, under 64 B a call
    }

    @Test
    void theTimeLstmGraphWithMovieEmbeddingAndDropoutTrainsAsWithDl4jFit() {
        assertSameTimeTraining(3, true, 2, 0.25, Activation.IDENTITY);
    }

    @Test
    void aClusterFeatureGraphWithSigmoidOutputTrainsAsWithDl4jFit() {
        assertSameTimeTraining(5, false, 1, 0, Activation.SIGMOID);
    }

    @Test
    void theStudysSwishRatingHeadTrainsAsWithDl4jFit() {
        assertSameTimeTraining(3, true, 1, 0.2, Activation.SWISH);
    }

    /** The rating head's activations and derivatives are DL4J's, over the range ratings' pre-activations take. */
    @Test
    void outputActivationsMatchDl4js() {
        Map<SequenceLayout.OutputActivation, Activation> dl4j = Map.of(SequenceLayout.OutputActivation.RELU, Activation.RELU,
                SequenceLayout.OutputActivation.SIGMOID, Activation.SIGMOID, SequenceLayout.OutputActivation.TANH, Activation.TANH,
                SequenceLayout.OutputActivation.SWISH, Activation.SWISH, SequenceLayout.OutputActivation.GELU, Activation.GELU,
                SequenceLayout.OutputActivation.SELU, Activation.SELU, SequenceLayout.OutputActivation.IDENTITY, Activation.IDENTITY);
        float[] z = new float[81];
        for (int i = 0; i < z.length; i++) z[i] = -8f + 0.2f * i + 0.013f;
        dl4j.forEach((ours, theirs) -> {
            INDArray a = theirs.getActivationFunction().getActivation(Nd4j.createFromArray(z), true);
            INDArray d = theirs.getActivationFunction().backprop(Nd4j.createFromArray(z), Nd4j.ones(DataType.FLOAT, z.length)).getFirst();
            for (int i = 0; i < z.length; i++) {
                float act = SequenceTrainer.activate(ours, z[i]);
                assertEquals(a.getFloat(i), act, 1e-5 * Math.max(1, Math.abs(act)), ours + " at " + z[i]);
                assertEquals(d.getFloat(i), SequenceTrainer.derivative(ours, z[i], act), 1e-5, ours + "' at " + z[i]);
            }
        });
    }

    @Test
    void dl4jLayersAndOtherOutputsAreLeftToDl4jWithTheReason() {
        List<String> reasons = new ArrayList<>();
        assertTrue(SequenceTrainer.create(textNet(LstmImplementation.DL4J, true, new int[]{4}, 0), 8, STEPS, reasons::add).isEmpty());
        assertTrue(reasons.get(0).contains("EmbeddingSequenceLayer"), reasons.get(0));
        assertTrue(SequenceTrainer.create(timeNet(3, false, 1, 0, Activation.HARDSIGMOID), 8, STEPS, reasons::add).isEmpty());
        assertTrue(reasons.get(1).contains("activation"), reasons.get(1));
    }
}
