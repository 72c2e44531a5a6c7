package org.cinelab.models.dl4j;

import org.cinelab.models.layers.HeldLanes;
import org.cinelab.models.layers.UpdateClock;
import org.deeplearning4j.nn.conf.NeuralNetConfiguration;
import org.deeplearning4j.nn.conf.WorkspaceMode;
import org.deeplearning4j.nn.conf.layers.DenseLayer;
import org.deeplearning4j.nn.conf.layers.OutputLayer;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.deeplearning4j.nn.workspace.LayerWorkspaceMgr;
import org.deeplearning4j.nn.weights.WeightInit;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.activations.Activation;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.learning.config.Adam;
import org.nd4j.linalg.learning.config.IUpdater;
import org.nd4j.linalg.learning.config.AdaGrad;
import org.nd4j.linalg.learning.config.Nesterovs;
import org.nd4j.linalg.learning.config.RmsProp;
import org.nd4j.linalg.learning.config.Sgd;
import org.nd4j.linalg.lossfunctions.ILossFunction;
import org.nd4j.linalg.lossfunctions.impl.LossBinaryXENT;
import org.nd4j.linalg.lossfunctions.impl.LossMCXENT;
import org.nd4j.linalg.lossfunctions.impl.LossMSE;

import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import java.util.function.Consumer;

import static org.junit.jupiter.api.Assertions.*;

/**
 * The dense trainer computes what DL4J's {@code fit} computes: from the same network, the same
 * minibatches give the same losses and parameters after every step (to float rounding), for each
 * activation, loss, optimiser and regulariser it implements; anything else is left to DL4J.
 */
class DenseTrainerTest {
    private static final Consumer<String> FAIL = reason -> fail("not supported: " + reason);

    /** Widths, hidden activation, output activation, loss and optimiser of one test network (and its dropout retain probability). */
    private record Net(int[] widths, Activation hidden, Activation output, ILossFunction loss, IUpdater updater,
                       Consumer<NeuralNetConfiguration.Builder> regularisation, double retain) {
        Net(int[] widths, Activation hidden, Activation output, ILossFunction loss, IUpdater updater,
            Consumer<NeuralNetConfiguration.Builder> regularisation) {
            this(widths, hidden, output, loss, updater, regularisation, 1);
        }
    }

    private static MultiLayerNetwork network(Net n, long seed) {
        NeuralNetConfiguration.Builder b = new NeuralNetConfiguration.Builder().seed(seed).dataType(DataType.FLOAT)
                .trainingWorkspaceMode(WorkspaceMode.ENABLED).updater(n.updater).weightInit(WeightInit.XAVIER).biasInit(0.1);
        n.regularisation.accept(b);
        NeuralNetConfiguration.ListBuilder list = b.list();
        int[] w = n.widths;
        for (int l = 0; l + 2 < w.length; l++) {
            Activation a = l == 1 && w.length > 4 ? Activation.IDENTITY : n.hidden; // an identity layer inside, as DEC's embedding
            DenseLayer.Builder layer = new DenseLayer.Builder().nIn(w[l]).nOut(w[l + 1]).activation(a);
            if (l > 0 && n.retain < 1) layer.dropOut(n.retain);
            list.layer(layer.build());
        }
        OutputLayer.Builder out = new OutputLayer.Builder(n.loss).nIn(w[w.length - 2]).nOut(w[w.length - 1]).activation(n.output);
        if (n.retain < 1) out.dropOut(n.retain);
        list.layer(out.build());
        MultiLayerNetwork net = new MultiLayerNetwork(list.build());
        net.init();
        return net;
    }

    /** Rating-like rows: values in 1..5 with about {@code sparsity} of them 0 (unobserved). */
    private static INDArray rows(int n, int width, double sparsity, long seed) {
        SplittableRandom rng = new SplittableRandom(seed);
        float[] v = new float[n * width];
        for (int i = 0; i < v.length; i++) v[i] = rng.nextDouble() < sparsity ? 0 : 1 + rng.nextInt(5);
        return Nd4j.createFromArray(v).reshape(n, width);
    }

    /** Trains two copies of the same network, one through DL4J and one through the trainer, and compares every step. */
    private static void assertSameTraining(Net n, INDArray x, INDArray y, int batch, int steps, boolean accumulate) {
        Nd4jRuntime.configure();
        MultiLayerNetwork dl4j = network(n, 3), fast = dl4j.clone();
        assertEquals(dl4j.params(), fast.params());
        INDArray accDl4j = accumulate ? Nd4j.zeros(DataType.FLOAT, 1, dl4j.numParams()) : null;
        INDArray accFast = accumulate ? Nd4j.zeros(DataType.FLOAT, 1, dl4j.numParams()) : null;
        DenseTrainer trainer = DenseTrainer.create(fast, x, y, batch, accFast, FAIL).orElseThrow();
        int rows = (int) x.size(0);
        int[] order = SeededBatches.order(rows, 5, 1, true);
        for (int s = 0, from = 0; s < steps; s++, from = (from + batch) % rows) {
            int to = Math.min(rows, from + batch);
            int[] picked = SeededBatches.slice(order, from, to);
            INDArray bx = x.getRows(picked), by = y == x ? bx : y.getRows(picked);
            double penalty = dl4j.calcRegularizationScore(true);
            double expected;
            Nd4j.getRandom().setSeed(1000 + s); // dropout: both draw their masks from ND4J's generator
            if (accumulate) expected = accumulatedStep(dl4j, bx, by, accDl4j);
            else {
                dl4j.fit(bx, by);
                expected = dl4j.score();
            }
            Nd4j.getRandom().setSeed(1000 + s);
            double loss = trainer.step(order, from, to);
            assertEquals(expected - penalty, loss, 1e-4 * Math.max(1, Math.abs(loss)), "loss at step " + s);
            double scale = Math.max(1e-3, dl4j.params().amaxNumber().doubleValue());
            double diff = dl4j.params().sub(fast.params()).amaxNumber().doubleValue();
            assertTrue(diff <= 2e-5 * scale, "step " + s + ": parameters differ by " + diff + " (largest " + scale + ")");
            assertEquals(dl4j.getIterationCount(), fast.getIterationCount());
        }
    }

    /** RatingAutoencoder's DL4J path for never-cleared gradients. */
    private static double accumulatedStep(MultiLayerNetwork net, INDArray x, INDArray y, INDArray accumulated) {
        net.setInput(x);
        net.setLabels(y);
        net.computeGradientAndScore();
        INDArray gradient = net.getFlattenedGradients();
        accumulated.addi(gradient);
        gradient.assign(accumulated);
        int iteration = net.getIterationCount();
        net.getUpdater().update(net, net.gradient(), iteration, 0, (int) x.size(0), LayerWorkspaceMgr.noWorkspaces());
        INDArray params = net.params();
        params.subi(gradient.reshape(params.shape()));
        net.setIterationCount(iteration + 1);
        return net.score();
    }

    @Test
    void aDecLikeAutoencoderTrainsAsWithDl4jFit() {
        Net n = new Net(new int[]{40, 24, 3, 24, 40}, Activation.RELU, Activation.IDENTITY, new LossMSE(), new RmsProp(0.01, 0.9, 1e-7), b -> {});
        INDArray x = Nd4j.rand(DataType.FLOAT, 100, 40);
        assertSameTraining(n, x, x, 16, 12, false);
    }

    /**
     * Padded word rows, as DEC's input: row r holds up to {@code longest} non-zero values at the end
     * ({@code pre}) or the start of its {@code width} columns; about a fifth of the rows are all zero.
     */
    private static INDArray paddedRows(int n, int width, int longest, boolean pre, long seed) {
        SplittableRandom rng = new SplittableRandom(seed);
        float[] v = new float[n * width];
        for (int r = 0; r < n; r++) {
            int length = rng.nextDouble() < 0.2 ? 0 : 1 + rng.nextInt(longest);
            for (int i = 0; i < length; i++) v[r * width + (pre ? width - length + i : i)] = (float) rng.nextDouble();
        }
        return Nd4j.createFromArray(v).reshape(n, width);
    }

    /** A wide autoencoder whose products and element-wise passes are split on 2 threads (SplitGemm.SPLIT_MIN, SplitLoop.SPLIT_MIN). */
    private static final Net WIDE = new Net(new int[]{300, 288, 8, 288, 300}, Activation.RELU, Activation.IDENTITY, new LossMSE(),
            new RmsProp(0.01, 0.9, 1e-7), b -> {});

    @Test
    void onTwoThreadsWithProductsSplitBetweenThemAWideAutoencoderTrainsAsWithDl4jFit() {
        // batch 128: every product but the 8-wide layer's is split, and so are the passes over 288 and 300 columns
        INDArray x = Nd4j.rand(DataType.FLOAT, 256, 300);
        ProcessThreads.with(2, () -> assertSameTraining(WIDE, x, x, 128, 8, false));
    }

    /** The parameters after {@code steps} steps of the trainer on a fresh copy of {@link #WIDE}. */
    private static float[] trained(INDArray x, int steps) {
        MultiLayerNetwork net = network(WIDE, 3);
        DenseTrainer trainer = DenseTrainer.create(net, x, x, 128, null, FAIL).orElseThrow();
        int[] order = SeededBatches.order((int) x.size(0), 5, 1, true);
        for (int s = 0, from = 0; s < steps; s++, from = (from + 128) % (int) x.size(0)) trainer.step(order, from, from + 128);
        return net.params().toFloatVector();
    }

    @Test
    void onTwoThreadsTheBitsDoNotDependOnWhetherTheHelpersWereFree() throws Exception {
        INDArray x = Nd4j.rand(DataType.FLOAT, 256, 300);
        float[][] helped = new float[1][], alone = new float[1][];
        ProcessThreads.with(2, () -> helped[0] = trained(x, 6));
        // Another trial holds the helpers: the caller computes every block and range itself, in turn.
        HeldLanes.whileHeld(() -> ProcessThreads.with(2, () -> alone[0] = trained(x, 6)));
        for (int i = 0; i < helped[0].length; i++) {
            assertEquals(Float.floatToRawIntBits(helped[0][i]), Float.floatToRawIntBits(alone[0][i]), "parameter " + i);
        }
    }

    @Test
    void paddedRowsTrainAsWithDl4jFitWhileTheFirstLayerMultipliesOnlyTheirNonZeroColumns() {
        Net n = new Net(new int[]{60, 16, 3, 16, 60}, Activation.RELU, Activation.IDENTITY, new LossMSE(), new RmsProp(0.01, 0.9, 1e-7), b -> {});
        // the batches' bands differ in width from step to step, so stale gradient columns must be cleared
        assertSameTraining(n, paddedRows(48, 60, 12, true, 21), paddedRows(48, 60, 12, true, 21), 6, 16, false);
        assertSameTraining(n, paddedRows(48, 60, 12, false, 22), paddedRows(48, 60, 12, false, 22), 6, 16, false);
    }

    @Test
    void anAllZeroBatchGivesTheFirstLayerAZeroWeightGradientAsDl4jDoes() {
        Net n = new Net(new int[]{20, 8, 20}, Activation.SIGMOID, Activation.IDENTITY, new LossMSE(), new Adam(0.01), b -> b.l2(0.01));
        INDArray x = Nd4j.zeros(DataType.FLOAT, 12, 20);
        x.putRow(3, Nd4j.rand(DataType.FLOAT, 1, 20));
        x.putRow(7, Nd4j.rand(DataType.FLOAT, 1, 20));
        int[] order = SeededBatches.order(12, 5, 1, true);
        boolean zeroBatch = false;
        for (int from = 0; from < 12; from += 2) {
            zeroBatch |= x.getRow(order[from]).sumNumber().doubleValue() == 0 && x.getRow(order[from + 1]).sumNumber().doubleValue() == 0;
        }
        assertTrue(zeroBatch, "the test needs a batch of zero rows");
        assertSameTraining(n, x, x, 2, 12, false);
    }

    @Test
    void autoRecWithMaskedSumLossAdamAndL2TrainsAsWithDl4jFit() {
        Net n = new Net(new int[]{30, 12, 30}, Activation.SIGMOID, Activation.IDENTITY, new MaskedMseLoss(MaskedMseLoss.Normalisation.SUM),
                new Adam(0.01, 0.9, 0.999, 1e-8), b -> b.l2(0.01));
        INDArray x = rows(50, 30, 0.8, 2);
        assertSameTraining(n, x, x, 8, 14, false);
    }

    @Test
    void perObservedNormalisationTanhDecoupledDecayAndSgdTrainAsWithDl4jFit() {
        Net n = new Net(new int[]{20, 10, 20}, Activation.TANH, Activation.SIGMOID, new MaskedMseLoss(MaskedMseLoss.Normalisation.OBSERVED),
                new Sgd(0.05), b -> b.weightDecay(0.01, true).weightDecayBias(0.01, true));
        INDArray x = rows(30, 20, 0.7, 4).divi(5);
        assertSameTraining(n, x, x, 7, 10, false);
    }

    @Test
    void nesterovMomentumWithL2TrainsAsWithDl4jFit() {
        Net n = new Net(new int[]{20, 12, 20}, Activation.RELU, Activation.IDENTITY, new LossMSE(), new Nesterovs(0.02, 0.9), b -> b.l2(0.001));
        INDArray x = rows(40, 20, 0.5, 6).divi(5);
        assertSameTraining(n, x, x, 8, 12, false);
    }

    @Test
    void aSoftmaxClassifierWithCrossEntropyTrainsAsWithDl4jFit() {
        // the S1 text DNN's head: ReLU layers, softmax over the classes, DL4J's MCXENT; rows like its padded word ids
        Net n = new Net(new int[]{30, 16, 8, 5}, Activation.RELU, Activation.SOFTMAX, new LossMCXENT(), new RmsProp(0.01, 0.9, 1e-7),
                b -> {}, 0.8);
        INDArray x = rows(40, 30, 0.7, 9).divi(5), y = Nd4j.zeros(DataType.FLOAT, 40, 5);
        for (int r = 0; r < 40; r++) y.putScalar(r, (r * 7) % 5, 1f);
        assertSameTraining(n, x, y, 8, 12, false);
    }

    @Test
    void aSigmoidAutoencoderWithBinaryCrossEntropyTrainsAsWithDl4jFit() {
        // DEC's notebook variant: sigmoid reconstruction of [0, 1] rows, Keras's binary cross-entropy
        Net n = new Net(new int[]{30, 12, 4, 12, 30}, Activation.RELU, Activation.SIGMOID, new LossBinaryXENT(), new Sgd(0.5), b -> {});
        INDArray x = rows(40, 30, 0.7, 4).divi(5);
        assertSameTraining(n, x, x, 8, 12, false);
    }

    @Test
    void softmaxWithAnotherLossIsLeftToDl4j() {
        Nd4jRuntime.configure();
        List<String> reasons = new ArrayList<>();
        MultiLayerNetwork net = network(new Net(new int[]{6, 4, 3}, Activation.RELU, Activation.SOFTMAX, new LossMSE(), new Adam(0.01), b -> {}), 1);
        INDArray x = Nd4j.rand(DataType.FLOAT, 5, 6);
        assertTrue(DenseTrainer.create(net, x, Nd4j.rand(DataType.FLOAT, 5, 3), 5, null, reasons::add).isEmpty());
        assertTrue(reasons.get(0).contains("after softmax"), reasons.toString());
    }

    @Test
    void adaGradWithL2TrainsAsWithDl4jFit() {
        Net n = new Net(new int[]{20, 12, 20}, Activation.RELU, Activation.IDENTITY, new LossMSE(), new AdaGrad(0.05, 1e-6), b -> b.l2(0.001));
        INDArray x = rows(40, 20, 0.5, 6).divi(5);
        assertSameTraining(n, x, x, 8, 12, false);
    }

    @Test
    void theBatchOneCourseAutoencoderWithAccumulatedGradientsTrainsAsTheDl4jPath() {
        Net n = new Net(new int[]{25, 6, 3, 6, 25}, Activation.SIGMOID, Activation.IDENTITY,
                new MaskedMseLoss(MaskedMseLoss.Normalisation.ALL_OUTPUTS), new RmsProp(0.01, 0.99, 1e-8), b -> b.l2(0.5).l2Bias(0.5));
        INDArray x = rows(20, 25, 0.8, 6);
        assertSameTraining(n, x, x, 1, 30, true);
    }

    @Test
    void accumulatedGradientsStepAdamAsTheDl4jPath() {
        // 40 x 21 weights: whole vectors summed and stepped in place, their tail and the biases through the chunks
        Net n = new Net(new int[]{40, 21, 40}, Activation.SIGMOID, Activation.IDENTITY, new LossMSE(), new Adam(0.005), b -> b.l2(0.01));
        INDArray x = rows(24, 40, 0.6, 7).divi(5);
        assertSameTraining(n, x, x, 4, 12, true);
    }

    @Test
    void theUpdateClockIsToldTheBytesEachOptimiserMustMovePerStep() {
        // 40-21-40: 1,741 parameters; Adam reads parameters, gradients and two moments and writes three of them
        // back (7 arrays of 4 bytes a value, 4 of them held), RMSprop 5 (3 held); the summed gradients add one
        // array read and written
        assertUpdateTraffic(new Adam(0.005), null, 1741, 7, 4);
        assertUpdateTraffic(new RmsProp(0.01, 0.9, 1e-7), null, 1741, 5, 3);
        assertUpdateTraffic(new Sgd(0.05), null, 1741, 3, 2);
        assertUpdateTraffic(new Adam(0.005), Nd4j.zeros(DataType.FLOAT, 1, 1741), 1741, 9, 5);
    }

    private static void assertUpdateTraffic(IUpdater updater, INDArray accumulator, long params, int arraysMoved, int arraysHeld) {
        Nd4jRuntime.configure();
        MultiLayerNetwork net = network(new Net(new int[]{40, 21, 40}, Activation.SIGMOID, Activation.IDENTITY, new LossMSE(), updater, b -> {}), 3);
        assertEquals(params, net.numParams());
        INDArray x = rows(24, 40, 0.6, 7).divi(5);
        DenseTrainer trainer = DenseTrainer.create(net, x, x, 4, accumulator, FAIL).orElseThrow();
        int[] order = SeededBatches.order(24, 5, 1, true);
        trainer.step(order, 0, 4); // not metered
        UpdateClock.start();
        for (int from = 4; from < 24; from += 4) trainer.step(order, from, from + 4);
        UpdateClock.Reading r = UpdateClock.stop();
        assertEquals(5, r.steps(), updater + ": steps");
        assertEquals(5.0 * params * 4 * arraysMoved, r.bytes(), updater + ": bytes moved");
        assertEquals(params * 4 * arraysHeld, r.workingSetPerStep(), updater + ": working set per step");
        assertTrue(r.seconds() > 0, "the passes were timed");
    }

    @Test
    void dropoutDropsWhatDl4jDropsFromTheSameGenerator() {
        Net n = new Net(new int[]{30, 16, 8, 16, 30}, Activation.SIGMOID, Activation.IDENTITY, new MaskedMseLoss(MaskedMseLoss.Normalisation.SUM),
                new Adam(0.01), b -> {}, 0.7);
        INDArray x = rows(40, 30, 0.7, 8);
        assertSameTraining(n, x, x, 8, 10, false);
        assertSameTraining(n, x, x, 1, 5, false);
    }

    @Test
    void aTrainersNativeMemoryOutlivesGarbageCollectionsWhileTheTrainerLives() throws Exception {
        // Its label batch once lived in a pointer that only a direct buffer referred to, which does not keep the
        // pointer alive: a collection freed the memory and each step then wrote labels into freed memory.
        Net n = new Net(new int[]{12, 16, 50}, Activation.RELU, Activation.IDENTITY, new LossMSE(), new Adam(0.005), b -> {});
        INDArray x = Nd4j.rand(DataType.FLOAT, 2000, 12), y = Nd4j.rand(DataType.FLOAT, 2000, 50);
        Nd4jRuntime.configure();
        MultiLayerNetwork net = network(n, 3);
        collect();
        DenseTrainer trainer = DenseTrainer.create(net, x, y, 2000, null, FAIL).orElseThrow();
        // A weak reference is cleared once nothing strong reaches the pointer; JavaCPP then frees its memory.
        // (A count of the process's native bytes was tried first: other tests' garbage made it fail at random.)
        java.lang.ref.WeakReference<Object> labelMemory = new java.lang.ref.WeakReference<>(trainer.labelMemory());
        java.lang.ref.WeakReference<Object> unheld = new java.lang.ref.WeakReference<>(Nd4jBuffers.allocate(16));
        collect();
        assertNull(unheld.get(), "the collections did not clear an unreachable pointer, so the check below would prove nothing");
        assertNotNull(labelMemory.get(), "the label batch's native memory became unreachable while the trainer lives");
        int[] order = SeededBatches.order(2000, 5, 1, true);
        assertTrue(Double.isFinite(trainer.step(order, 0, 2000)));
    }

    /** Collections, and time for JavaCPP's deallocator thread to free what they found. */
    private static void collect() throws InterruptedException {
        for (int i = 0; i < 4; i++) {
            System.gc();
            Thread.sleep(50);
        }
    }

    @Test
    void aRegressorWithSeparateLabelsTrainsAsWithDl4jFit() {
        Net n = new Net(new int[]{12, 16, 8, 3}, Activation.RELU, Activation.IDENTITY, new LossMSE(), new Adam(0.005), b -> {});
        INDArray x = Nd4j.rand(DataType.FLOAT, 40, 12), y = Nd4j.rand(DataType.FLOAT, 40, 3);
        assertSameTraining(n, x, y, 10, 8, false);
    }

    @Test
    void whatTheTrainerDoesNotImplementIsLeftToDl4jWithTheReason() {
        Nd4jRuntime.configure();
        List<String> reasons = new ArrayList<>();
        MultiLayerNetwork dropout = new MultiLayerNetwork(new NeuralNetConfiguration.Builder().dataType(DataType.FLOAT).list()
                .layer(new DenseLayer.Builder().nIn(4).nOut(3).dropOut(new org.deeplearning4j.nn.conf.dropout.GaussianDropout(0.5)).build())
                .layer(new OutputLayer.Builder(new LossMSE()).nIn(3).nOut(4).activation(Activation.IDENTITY).build()).build());
        dropout.init();
        INDArray x = Nd4j.rand(DataType.FLOAT, 5, 4);
        assertTrue(DenseTrainer.create(dropout, x, x, 5, null, reasons::add).isEmpty());
        MultiLayerNetwork adaGrad = new MultiLayerNetwork(new NeuralNetConfiguration.Builder().dataType(DataType.FLOAT)
                .updater(new org.nd4j.linalg.learning.config.AdaMax(0.1)).list()
                .layer(new OutputLayer.Builder(new LossMSE()).nIn(4).nOut(4).activation(Activation.IDENTITY).build()).build());
        adaGrad.init();
        assertTrue(DenseTrainer.create(adaGrad, x, x, 5, null, reasons::add).isEmpty());
        assertEquals(2, reasons.size(), reasons.toString());
        assertTrue(reasons.get(0).contains("dropout"), reasons.get(0));
        assertTrue(reasons.get(1).contains("optimiser"), reasons.get(1));
    }
}
