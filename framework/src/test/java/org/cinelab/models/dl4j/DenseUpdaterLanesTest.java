package org.cinelab.models.dl4j;

import org.deeplearning4j.nn.conf.NeuralNetConfiguration;
import org.deeplearning4j.nn.conf.layers.DenseLayer;
import org.deeplearning4j.nn.conf.layers.OutputLayer;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.nd4j.linalg.activations.Activation;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.learning.config.Adam;
import org.nd4j.linalg.learning.config.IUpdater;
import org.nd4j.linalg.learning.config.RmsProp;
import org.nd4j.linalg.learning.config.Sgd;
import org.nd4j.linalg.lossfunctions.impl.LossMSE;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.FloatBuffer;
import java.util.SplittableRandom;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The optimiser's pass split over helper threads changes no bit of the parameters or the optimiser state. */
class DenseUpdaterLanesTest {
    @ParameterizedTest
    @ValueSource(strings = {"rmsprop", "adam", "sgd"})
    void splittingAnUpdateOverThreadsGivesTheSameBits(String optimiser) throws Exception {
        IUpdater u = switch (optimiser) {
            case "rmsprop" -> new RmsProp(1e-3, 0.9, 1e-7);
            case "adam" -> new Adam(1e-3);
            default -> new Sgd(0.1);
        };
        // a 400 x 300 layer (120,000 weights: split) and a small one (updated on the caller's thread)
        MultiLayerNetwork net = network(u, 400, 300);
        assertSameBits(net, 3);
    }

    @ParameterizedTest
    @ValueSource(ints = {2, 3})
    void aSegmentOfOneMoreThanWholeChunksPerLaneIsUpdatedToItsLastWeight(int lanes) throws Exception {
        // 65,537 weights: on 2 lanes, half of it rounded down is whole chunks, which would leave out the last weight
        assertSameBits(network(new RmsProp(1e-3, 0.9, 1e-7), 65_537, 1), lanes);
    }

    private static MultiLayerNetwork network(IUpdater u, int nIn, int nOut) {
        MultiLayerNetwork net = new MultiLayerNetwork(new NeuralNetConfiguration.Builder().seed(3).dataType(DataType.FLOAT).updater(u).l2(1e-4)
                .list()
                .layer(new DenseLayer.Builder().nIn(nIn).nOut(nOut).activation(Activation.RELU).build())
                .layer(new OutputLayer.Builder(new LossMSE()).nIn(nOut).nOut(7).activation(Activation.IDENTITY).build())
                .build());
        net.init();
        return net;
    }

    private static void assertSameBits(MultiLayerNetwork net, int lanes) throws Exception {
        var stateView = net.getUpdater(true).getStateViewArray(); // SGD keeps none
        int n = (int) net.numParams(), stateLength = stateView == null ? 1 : (int) stateView.length();
        SplittableRandom r = new SplittableRandom(11);
        float[] w = new float[n], g = new float[n], s = new float[stateLength];
        for (int i = 0; i < n; i++) {
            w[i] = (float) r.nextGaussian();
            g[i] = (float) r.nextGaussian();
        }
        for (int i = 0; i < stateLength; i++) s[i] = (float) r.nextDouble();

        FloatBuffer[] alone = {direct(w), direct(g), direct(s)}, split = {direct(w), direct(g), direct(s)};
        DenseUpdater.of(net.getUpdater(true), 1).apply(alone[0], alone[1], alone[2], null, 32, 5, 1);
        DenseUpdater.of(net.getUpdater(true), lanes).apply(split[0], split[1], split[2], null, 32, 5, 1);
        for (int k = 0; k < 3; k += 2) {
            for (int i = 0; i < alone[k].capacity(); i++) {
                assertEquals(Float.floatToRawIntBits(alone[k].get(i)), Float.floatToRawIntBits(split[k].get(i)),
                        (k == 0 ? "parameter " : "state ") + i);
            }
        }
        boolean moved = false;
        for (int i = 0; i < n; i++) moved |= alone[0].get(i) != w[i];
        assertEquals(true, moved, "the update changed the parameters");
    }

    @org.junit.jupiter.api.Test
    void stagesTakingTurnsWithBuffersOfTheirOwnOnTheSameParametersAllocateNothingPerStep() throws Exception {
        // the two-tower trainer's tables and its dense head each hold a buffer object on the network's arrays
        // and update in turn every step; the in-place optimiser's byte views of them were remade at every turn
        MultiLayerNetwork net = network(new Adam(1e-3), 40, 30);
        int n = (int) net.numParams(), stateLength = (int) net.getUpdater(true).getStateViewArray().length();
        float[] w = new float[n], g = new float[n], s = new float[stateLength];
        java.util.Arrays.fill(g, 0.01f);
        FloatBuffer params = direct(w), grads = direct(g), state = direct(s);
        FloatBuffer[] head = {params.duplicate(), grads.duplicate(), state.duplicate()}, tables = {params.duplicate(), grads.duplicate(),
                state.duplicate()};
        DenseUpdater updater = DenseUpdater.of(net.getUpdater(true), 1);
        Runnable step = () -> {
            updater.apply(head[0], head[1], head[2], null, 32, 5, 1);
            updater.apply(tables[0], tables[1], tables[2], null, 32, 5, 1);
        };
        for (int i = 0; i < 20_000; i++) step.run(); // compiled
        com.sun.management.ThreadMXBean threads = (com.sun.management.ThreadMXBean) java.lang.management.ManagementFactory.getThreadMXBean();
        long before = threads.getThreadAllocatedBytes(Thread.currentThread().getId());
        for (int i = 0; i < 1000; i++) step.run();
        long bytes = threads.getThreadAllocatedBytes(Thread.currentThread().getId()) - before;
        // remaking the views cost 1,728 bytes per step; the limit leaves room for what the JIT may leave unremoved elsewhere
        assertTrue(bytes < 256_000, bytes + " bytes of heap over 1,000 steps");
    }

    private static FloatBuffer direct(float[] values) {
        FloatBuffer b = ByteBuffer.allocateDirect(4 * values.length).order(ByteOrder.nativeOrder()).asFloatBuffer();
        b.put(0, values);
        return b;
    }
}
