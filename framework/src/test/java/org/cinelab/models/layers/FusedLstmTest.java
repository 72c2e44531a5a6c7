package org.cinelab.models.layers;

import org.deeplearning4j.nn.conf.ComputationGraphConfiguration;
import org.deeplearning4j.nn.conf.NeuralNetConfiguration;
import org.deeplearning4j.nn.conf.RNNFormat;
import org.deeplearning4j.nn.conf.layers.LSTM;
import org.deeplearning4j.nn.conf.layers.Layer;
import org.deeplearning4j.nn.conf.layers.OutputLayer;
import org.deeplearning4j.nn.conf.layers.RnnOutputLayer;
import org.deeplearning4j.nn.conf.layers.recurrent.LastTimeStep;
import org.deeplearning4j.nn.graph.ComputationGraph;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.deeplearning4j.nn.weights.WeightInit;
import org.deeplearning4j.util.ModelSerializer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.nd4j.linalg.activations.Activation;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.dataset.DataSet;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.indexing.NDArrayIndex;
import org.nd4j.linalg.learning.config.Adam;
import org.nd4j.linalg.learning.config.IUpdater;
import org.nd4j.linalg.learning.config.NoOp;
import org.nd4j.linalg.lossfunctions.LossFunctions;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.util.Map;
import java.util.Random;

import static org.junit.jupiter.api.Assertions.*;

class FusedLstmTest {
    /** float32 sums in another order: DL4J adds the per-step weight gradients one by one, the fused layer in one GEMM. */
    private static final double TOLERANCE = 1e-5;

    /** LSTM layers (the last inside LastTimeStep, as CineLab's models use them, or all steps into an RnnOutputLayer). */
    private static MultiLayerNetwork network(boolean fused, int nIn, int[] units, boolean lastStep, double retain, RNNFormat format,
                                             IUpdater updater) {
        NeuralNetConfiguration.ListBuilder list = new NeuralNetConfiguration.Builder().seed(7).dataType(DataType.FLOAT)
                .weightInit(WeightInit.XAVIER).updater(updater).list();
        int in = nIn;
        for (int l = 0; l < units.length; l++) {
            Layer layer = lstm(fused, in, units[l], l > 0 ? retain : 1.0, format);
            list.layer(lastStep && l == units.length - 1 ? new LastTimeStep(layer) : layer);
            in = units[l];
        }
        list.layer(lastStep
                ? new OutputLayer.Builder(LossFunctions.LossFunction.MCXENT).nIn(in).nOut(3).activation(Activation.SOFTMAX).build()
                : new RnnOutputLayer.Builder(LossFunctions.LossFunction.MCXENT).nIn(in).nOut(3).activation(Activation.SOFTMAX)
                .dataFormat(format).build());
        MultiLayerNetwork n = new MultiLayerNetwork(list.build());
        n.init();
        return n;
    }

    private static MultiLayerNetwork network(boolean fused, int nIn, int... units) {
        return network(fused, nIn, units, true, 1.0, RNNFormat.NCW, new NoOp());
    }

    private static Layer lstm(boolean fused, int nIn, int nOut, double retain, RNNFormat format) {
        if (fused) {
            FusedLstm.Builder b = new FusedLstm.Builder().nIn(nIn).nOut(nOut).activation(Activation.TANH).dataFormat(format);
            if (retain < 1) b.dropOut(retain);
            return b.build();
        }
        LSTM.Builder b = new LSTM.Builder().nIn(nIn).nOut(nOut).activation(Activation.TANH).dataFormat(format);
        if (retain < 1) b.dropOut(retain);
        return b.build();
    }

    private static INDArray sequences(long seed, int batch, int nIn, int steps) {
        Nd4j.getRandom().setSeed(seed);
        return Nd4j.rand(DataType.FLOAT, batch, nIn, steps).subi(0.5).muli(4);
    }

    private static INDArray oneHot(int batch, long... trailing) {
        long[] shape = new long[2 + trailing.length];
        shape[0] = batch;
        shape[1] = 3;
        System.arraycopy(trailing, 0, shape, 2, trailing.length);
        INDArray y = Nd4j.zeros(DataType.FLOAT, shape);
        Random r = new Random(batch);
        if (trailing.length == 0) {
            for (int i = 0; i < batch; i++) y.putScalar(i, r.nextInt(3), 1);
        } else {
            for (int i = 0; i < batch; i++) for (int t = 0; t < trailing[0]; t++) y.putScalar(new long[]{i, r.nextInt(3), t}, 1);
        }
        return y;
    }

    static double relativeError(INDArray actual, INDArray expected) {
        INDArray e = expected.castTo(DataType.DOUBLE);
        return actual.castTo(DataType.DOUBLE).sub(e).norm2Number().doubleValue() / Math.max(1e-30, e.norm2Number().doubleValue());
    }

    /** Output, score and every parameter gradient of the two networks agree. */
    private static void assertSameOutputsAndGradients(MultiLayerNetwork dl4j, MultiLayerNetwork fused, INDArray x, INDArray y, INDArray mask) {
        fused.setParams(dl4j.params());
        assertTrue(relativeError(fused.output(x, false, mask, null), dl4j.output(x, false, mask, null)) < TOLERANCE, "outputs");
        for (MultiLayerNetwork n : new MultiLayerNetwork[]{dl4j, fused}) {
            Nd4j.getRandom().setSeed(99); // the same dropout masks
            n.setInput(x);
            n.setLabels(y);
            n.setMask(mask);
            n.computeGradientAndScore();
        }
        assertEquals(dl4j.score(), fused.score(), 1e-5 * Math.abs(dl4j.score()), "score");
        Map<String, INDArray> expected = dl4j.gradient().gradientForVariable(), actual = fused.gradient().gradientForVariable();
        assertEquals(expected.keySet(), actual.keySet());
        for (String key : expected.keySet()) {
            double err = relativeError(actual.get(key), expected.get(key));
            assertTrue(err < TOLERANCE, "gradient of " + key + ": relative error " + err);
        }
    }

    @Test
    void theSameSeedGivesDl4jsInitialParameters() {
        assertEquals(network(false, 5, 20, 17).params(), network(true, 5, 20, 17).params());
    }

    @ParameterizedTest
    @ValueSource(ints = {16, 20, 3})
    void sameWeightsAsDl4jsLstmGiveTheSameOutputsAndGradients(int units) {
        // 16: whole vectors only; 20: a vector and a scalar tail; 3: scalar only
        INDArray x = sequences(1, 8, 5, 11);
        assertSameOutputsAndGradients(network(false, 5, units), network(true, 5, units), x, oneHot(8), null);
    }

    @Test
    void twoStackedLayersWithDropoutMatchDl4j() {
        INDArray x = sequences(2, 6, 4, 9);
        assertSameOutputsAndGradients(network(false, 4, new int[]{12, 7}, true, 0.7, RNNFormat.NCW, new NoOp()),
                network(true, 4, new int[]{12, 7}, true, 0.7, RNNFormat.NCW, new NoOp()), x, oneHot(6), null);
    }

    @Test
    void everyStepIntoAnRnnOutputLayerMatchesDl4jInBothDataFormats() {
        INDArray x = sequences(3, 5, 4, 7);
        assertSameOutputsAndGradients(network(false, 4, new int[]{9}, false, 1, RNNFormat.NCW, new NoOp()),
                network(true, 4, new int[]{9}, false, 1, RNNFormat.NCW, new NoOp()), x, oneHot(5, 7), null);
        INDArray nwc = x.permute(0, 2, 1).dup();
        assertSameOutputsAndGradients(network(false, 4, new int[]{9}, false, 1, RNNFormat.NWC, new NoOp()),
                network(true, 4, new int[]{9}, false, 1, RNNFormat.NWC, new NoOp()), nwc, oneHot(5, 7).permute(0, 2, 1).dup(), null);
    }

    /** Per example b, its last b steps (post) or first b steps (pre) are padding; "holes" masks steps in the middle. */
    private static INDArray mask(String kind, int batch, int steps) {
        INDArray m = Nd4j.ones(DataType.FLOAT, batch, steps);
        for (int b = 0; b < batch; b++) {
            for (int t = 0; t < steps; t++) {
                boolean padding = switch (kind) {
                    case "post" -> t >= steps - b;
                    case "pre" -> t < b;
                    case "holes" -> t > 0 && t < steps - 1 && (t + b) % 3 == 0;
                    default -> false;
                };
                if (padding) m.putScalar(b, t, 0);
            }
        }
        return m;
    }

    @Test
    void sequencesPaddedAtTheEndAndMaskedMatchDl4j() {
        int batch = 6, steps = 10;
        assertSameOutputsAndGradients(network(false, 3, 8, 6), network(true, 3, 8, 6), sequences(4, batch, 3, steps), oneHot(batch),
                mask("post", batch, steps));
    }

    /**
     * Central differences of the network's own (float) score. For pre-padded and holed masks this is
     * the reference: DL4J's LSTM gradient disagrees with its own finite differences there (its
     * GradientCheckUtil fails with a pre-padding mask in double precision), while its forward pass,
     * which the fused layer reproduces, is well defined.
     */
    @ParameterizedTest
    @ValueSource(strings = {"none", "pre", "post", "holes"})
    void gradientsMatchFiniteDifferences(String maskKind) {
        int batch = 4, steps = 6;
        MultiLayerNetwork net = network(true, 3, 17, 5); // 17 units: a full vector and a scalar tail
        INDArray x = sequences(11, batch, 3, steps), y = oneHot(batch), m = maskKind.equals("none") ? null : mask(maskKind, batch, steps);
        net.setInput(x);
        net.setLabels(y);
        net.setMask(m);
        net.computeGradientAndScore();
        INDArray analytic = net.gradient().gradient().dup().divi(batch); // DL4J's gradient is the batch sum, its score the mean
        INDArray numeric = centralDifferences(net, new DataSet(x, y, m, null), 1e-2);
        double err = relativeError(analytic, numeric);
        assertTrue(err < 2e-3, "relative error " + err + " against finite differences");
    }

    private static INDArray centralDifferences(MultiLayerNetwork net, DataSet data, double h) {
        INDArray params = net.params();
        INDArray g = Nd4j.zeros(DataType.DOUBLE, params.length());
        for (long i = 0; i < params.length(); i++) {
            double v = params.getDouble(i);
            params.putScalar(i, v + h);
            double up = net.score(data, true);
            params.putScalar(i, v - h);
            double down = net.score(data, true);
            params.putScalar(i, v);
            g.putScalar(i, (up - down) / (2 * h));
        }
        return g.reshape(params.shape());
    }

    @Test
    void aComputationGraphWithTheLayerMatchesDl4j() {
        ComputationGraph dl4j = graph(false), fused = graph(true);
        assertEquals(dl4j.params(), fused.params());
        INDArray x = sequences(5, 7, 4, 6);
        INDArray y = Nd4j.rand(DataType.FLOAT, 7, 1);
        assertTrue(relativeError(fused.outputSingle(x), dl4j.outputSingle(x)) < TOLERANCE);
        for (ComputationGraph g : new ComputationGraph[]{dl4j, fused}) {
            g.setInputs(x);
            g.setLabels(y);
            g.computeGradientAndScore();
        }
        assertTrue(relativeError(fused.gradient().gradient(), dl4j.gradient().gradient()) < TOLERANCE);
    }

    private static ComputationGraph graph(boolean fused) {
        ComputationGraphConfiguration conf = new NeuralNetConfiguration.Builder().seed(3).dataType(DataType.FLOAT)
                .weightInit(WeightInit.XAVIER).updater(new NoOp()).graphBuilder()
                .addInputs("steps")
                .addLayer("lstm0", lstm(fused, 4, 10, 1, RNNFormat.NCW), "steps")
                .addLayer("lstm1", new LastTimeStep(lstm(fused, 10, 5, 1, RNNFormat.NCW)), "lstm0")
                .addLayer("out", new OutputLayer.Builder(LossFunctions.LossFunction.MSE).nIn(5).nOut(1).activation(Activation.IDENTITY).build(), "lstm1")
                .setOutputs("out").build();
        ComputationGraph g = new ComputationGraph(conf);
        g.init();
        return g;
    }

    /**
     * Two runs in one JVM, the second with the JIT warm: bit-identical scores and parameters (the
     * gate math avoids the JDK's vector exp/tanh, whose last bit depends on the JIT state).
     */
    /** Runs {@code work} with products and the recurrence split over {@code threads} threads, then restores the setting. */
    private static void onThreads(int threads, Runnable work) {
        int before = SplitGemm.threads();
        SplitGemm.setThreads(threads);
        try {
            work.run();
        } finally {
            SplitGemm.setThreads(before);
            Nd4j.factory().blas().setMaxThreads(before); // OpenBLAS as it was for ND4J's own operations
        }
    }

    @Test
    void onTwoThreadsTheRecurrenceSplitByRowsMatchesDl4jAndDoesNotDependOnTheHelpers() throws Exception {
        // 40 sequences: rows [0, 32) on the caller and [32, 40) on the helper; masked, so each lane reads its rows' mask
        int batch = 40, steps = 12;
        INDArray x = sequences(6, batch, 3, steps), y = oneHot(batch), m = Nd4j.ones(DataType.FLOAT, batch, steps);
        for (int b = 0; b < batch; b++) for (int t = steps - b % steps; t < steps; t++) m.putScalar(b, t, 0); // padded at the end
        MultiLayerNetwork dl4j = network(false, 3, 24);
        onThreads(2, () -> assertSameOutputsAndGradients(dl4j, network(true, 3, 24), x, y, m));

        MultiLayerNetwork fused = network(true, 3, 24);
        fused.setParams(dl4j.params());
        INDArray[] helped = new INDArray[2], alone = new INDArray[2];
        onThreads(2, () -> gradientAndOutput(fused, x, y, m, helped));
        HeldLanes.whileHeld(() -> onThreads(2, () -> gradientAndOutput(fused, x, y, m, alone)));
        assertArrayEquals(helped[0].ravel().toFloatVector(), alone[0].ravel().toFloatVector(), "outputs");
        assertArrayEquals(helped[1].ravel().toFloatVector(), alone[1].ravel().toFloatVector(), "gradients");
    }

    private static void gradientAndOutput(MultiLayerNetwork n, INDArray x, INDArray y, INDArray mask, INDArray[] into) {
        into[0] = n.output(x, false, mask, null);
        n.setInput(x);
        n.setLabels(y);
        n.setMask(mask);
        n.computeGradientAndScore();
        into[1] = n.gradient().gradient().dup();
    }

    @Test
    void trainingTwiceInOneJvmGivesTheSameBits() {
        java.util.List<org.nd4j.linalg.dataset.MultiDataSet> batches = new java.util.ArrayList<>();
        Random r = new Random(1);
        for (int i = 0; i < 12; i++) {
            int b = i == 11 ? 9 : 32;
            float[][] items = new float[b][5];
            for (float[] row : items) for (int t = 0; t < 5; t++) row[t] = r.nextInt(30);
            batches.add(new org.nd4j.linalg.dataset.MultiDataSet(new INDArray[]{sequences(i, b, 3, 5), Nd4j.createFromArray(items)},
                    new INDArray[]{Nd4j.rand(DataType.FLOAT, b, 1)}));
        }
        double[][] scores = new double[2][36];
        float[][] params = new float[2][];
        for (int run = 0; run < 2; run++) {
            ComputationGraph g = new ComputationGraph(new NeuralNetConfiguration.Builder().seed(1).dataType(DataType.FLOAT)
                    .weightInit(WeightInit.XAVIER).updater(new Adam(0.01)).graphBuilder().addInputs("steps", "items")
                    .addLayer("embedding", LstmImplementation.CINELAB.sequenceEmbedding(30, 4, 5, WeightInit.UNIFORM), "items")
                    .addVertex("merge", new org.deeplearning4j.nn.conf.graph.MergeVertex(), "steps", "embedding")
                    .addLayer("lstm", new LastTimeStep(LstmImplementation.CINELAB.lstm(7, 20, 0)), "merge")
                    .addLayer("out", new OutputLayer.Builder(LossFunctions.LossFunction.MSE).nIn(20).nOut(1).activation(Activation.IDENTITY).build(), "lstm")
                    .setOutputs("out").build());
            g.init();
            for (int it = 0; it < 36; it++) {
                g.fit(batches.get(it % 12));
                scores[run][it] = g.score();
            }
            params[run] = g.params().toFloatVector();
        }
        assertArrayEquals(scores[0], scores[1]);
        assertArrayEquals(params[0], params[1]);
    }

    @Test
    void trainedDl4jLstmParametersCopyIntoTheFusedLayer() {
        MultiLayerNetwork dl4j = network(false, 3, new int[]{8}, true, 1, RNNFormat.NCW, new Adam(0.05));
        INDArray x = sequences(6, 10, 3, 5);
        for (int i = 0; i < 5; i++) dl4j.fit(new DataSet(x, oneHot(10)));
        MultiLayerNetwork fused = network(true, 3, 8);
        fused.setParams(dl4j.params());
        assertEquals(dl4j.getLayer(0).getParam("RW"), fused.getLayer(0).getParam("RW"));
        assertTrue(relativeError(fused.output(x), dl4j.output(x)) < TOLERANCE);
    }

    @Test
    void aSavedNetworkRestoresWithTheFusedLayerAndTheSameOutputs() throws Exception {
        MultiLayerNetwork fused = network(true, 3, new int[]{8, 4}, true, 1, RNNFormat.NCW, new Adam(0.05));
        INDArray x = sequences(7, 10, 3, 5);
        fused.fit(new DataSet(x, oneHot(10)));
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        ModelSerializer.writeModel(fused, bytes, true);
        MultiLayerNetwork restored = ModelSerializer.restoreMultiLayerNetwork(new ByteArrayInputStream(bytes.toByteArray()), true);
        assertInstanceOf(FusedLstm.class, restored.getLayerWiseConfigurations().getConf(0).getLayer());
        assertEquals(fused.params(), restored.params());
        assertEquals(fused.output(x), restored.output(x));
        fused.fit(new DataSet(x, oneHot(10)));
        restored.fit(new DataSet(x, oneHot(10)));
        assertEquals(fused.params(), restored.params(), "the updater state was restored too");
    }

    @Test
    void rnnTimeStepContinuesFromTheStoredState() {
        MultiLayerNetwork dl4j = network(false, 3, new int[]{6}, false, 1, RNNFormat.NCW, new NoOp()),
                fused = network(true, 3, new int[]{6}, false, 1, RNNFormat.NCW, new NoOp());
        INDArray x = sequences(8, 4, 3, 6);
        INDArray whole = fused.output(x);
        fused.rnnClearPreviousState();
        INDArray first = fused.rnnTimeStep(x.get(NDArrayIndex.all(), NDArrayIndex.all(),
                NDArrayIndex.interval(0, 4)));
        INDArray rest = fused.rnnTimeStep(x.get(NDArrayIndex.all(), NDArrayIndex.all(),
                NDArrayIndex.interval(4, 6)));
        assertTrue(relativeError(Nd4j.concat(2, first, rest), whole) < TOLERANCE);
        assertTrue(relativeError(whole, dl4j.output(x)) < TOLERANCE);
    }

    @Test
    void aLargeInferenceBatchIsProcessedInPiecesWithTheSameResult() {
        MultiLayerNetwork dl4j = network(false, 2, 3), fused = network(true, 2, 3);
        INDArray x = sequences(9, 3000, 2, 1000); // 3M rows of 12 gate values: more than one inference piece
        assertTrue(relativeError(fused.output(x), dl4j.output(x)) < TOLERANCE);
    }

    /** Remembering the sign of the first of 12 noisy steps needs the cell state to carry it to the end. */
    @Test
    void itLearnsToRememberTheFirstStepOfASequence() {
        int n = 512, steps = 12;
        Nd4j.getRandom().setSeed(5);
        INDArray x = Nd4j.randn(DataType.FLOAT, n, 1, steps);
        INDArray y = Nd4j.zeros(DataType.FLOAT, n, 2);
        for (int i = 0; i < n; i++) y.putScalar(i, x.getFloat(i, 0, 0) > 0 ? 1 : 0, 1);
        MultiLayerNetwork net = new MultiLayerNetwork(new NeuralNetConfiguration.Builder().seed(5).dataType(DataType.FLOAT)
                .weightInit(WeightInit.XAVIER).updater(new Adam(0.02)).list()
                .layer(new LastTimeStep(new FusedLstm.Builder().nIn(1).nOut(16).activation(Activation.TANH).build()))
                .layer(new OutputLayer.Builder(LossFunctions.LossFunction.MCXENT).nIn(16).nOut(2).activation(Activation.SOFTMAX).build())
                .build());
        net.init();
        DataSet train = new DataSet(x.get(NDArrayIndex.interval(0, 384), NDArrayIndex.all(), NDArrayIndex.all()),
                y.get(NDArrayIndex.interval(0, 384), NDArrayIndex.all()));
        double first = net.score(train);
        for (int epoch = 0; epoch < 40; epoch++) {
            for (org.nd4j.linalg.dataset.DataSet batch : train.batchBy(32)) net.fit(batch);
        }
        DataSet test = new DataSet(x.get(NDArrayIndex.interval(384, n), NDArrayIndex.all(), NDArrayIndex.all()),
                y.get(NDArrayIndex.interval(384, n), NDArrayIndex.all()));
        double loss = net.score(test);
        assertTrue(first > 0.6 && loss < 0.15, "held-out loss " + loss + " (start " + first + ")");
    }

    @Test
    void otherActivationsAreRefusedWithTheAlternative() {
        NeuralNetConfiguration.ListBuilder list = new NeuralNetConfiguration.Builder().dataType(DataType.FLOAT).list()
                .layer(new FusedLstm.Builder().nIn(2).nOut(3).activation(Activation.RELU).build())
                .layer(new RnnOutputLayer.Builder().nIn(3).nOut(2).build());
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> new MultiLayerNetwork(list.build()).init());
        assertTrue(e.getMessage().contains("activation must be tanh") && e.getMessage().contains("DL4J's LSTM"), e.getMessage());
    }
}
