package org.cinelab.models.recsys;

import org.deeplearning4j.gradientcheck.GradientCheckUtil;
import org.deeplearning4j.nn.conf.ComputationGraphConfiguration;
import org.deeplearning4j.nn.conf.NeuralNetConfiguration;
import org.deeplearning4j.nn.conf.graph.MergeVertex;
import org.deeplearning4j.nn.conf.inputs.InputType;
import org.deeplearning4j.nn.conf.layers.DenseLayer;
import org.deeplearning4j.nn.conf.layers.OutputLayer;
import org.deeplearning4j.nn.graph.ComputationGraph;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.nd4j.linalg.activations.Activation;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.learning.config.NoOp;
import org.nd4j.linalg.lossfunctions.LossFunctions;

import static org.junit.jupiter.api.Assertions.*;

class CrossNetworkLayerTest {

    private static MultiLayerNetwork crossOnly(int width, int layers, int rank, DataType type) {
        MultiLayerNetwork net = new MultiLayerNetwork(new NeuralNetConfiguration.Builder()
                .seed(3).dataType(type).updater(new NoOp())
                .list()
                .layer(new CrossNetworkLayer(width, layers, rank))
                .layer(new OutputLayer.Builder(LossFunctions.LossFunction.MSE).nIn(width).nOut(2).activation(Activation.IDENTITY).build())
                .setInputType(InputType.feedForward(width))
                .build());
        net.init();
        return net;
    }

    @Test
    void oneFullCrossLayerComputesX0TimesWxPlusBPlusX() {
        MultiLayerNetwork net = crossOnly(2, 1, 0, DataType.DOUBLE);
        net.getLayer(0).setParam("W0", Nd4j.createFromArray(new double[][]{{1, 2}, {3, 4}}));
        net.getLayer(0).setParam("b0", Nd4j.createFromArray(new double[][]{{0.5, -1}}));
        INDArray x = Nd4j.createFromArray(new double[][]{{1, 2}});
        INDArray out = net.feedForwardToLayer(0, x).get(1);
        // x W = [1*1 + 2*3, 1*2 + 2*4] = [7, 10]; + b = [7.5, 9]; * x0 = [7.5, 18]; + x = [8.5, 20]
        assertArrayEquals(new double[]{8.5, 20}, out.toDoubleVector(), 1e-12);
    }

    @Test
    void aLowRankLayerHasTwoThinMatricesPerLayer() {
        MultiLayerNetwork full = crossOnly(8, 3, 0, DataType.FLOAT);
        MultiLayerNetwork lowRank = crossOnly(8, 3, 2, DataType.FLOAT);
        assertEquals(3 * (8 * 8 + 8), full.getLayer(0).numParams());
        assertEquals(3 * (2 * 8 * 2 + 8), lowRank.getLayer(0).numParams());
    }

    @ParameterizedTest
    @ValueSource(ints = {0, 2})
    void backpropagatedGradientsMatchFiniteDifferences(int rank) {
        Nd4j.setDefaultDataTypes(DataType.DOUBLE, DataType.DOUBLE);
        try {
            MultiLayerNetwork net = new MultiLayerNetwork(new NeuralNetConfiguration.Builder()
                    .seed(5).dataType(DataType.DOUBLE).updater(new NoOp())
                    .list()
                    .layer(new DenseLayer.Builder().nIn(3).nOut(4).activation(Activation.TANH).build())
                    .layer(new CrossNetworkLayer(4, 2, rank))
                    .layer(new OutputLayer.Builder(LossFunctions.LossFunction.MSE).nIn(4).nOut(2).activation(Activation.IDENTITY).build())
                    .setInputType(InputType.feedForward(3))
                    .build());
            net.init();
            INDArray x = Nd4j.rand(DataType.DOUBLE, 5, 3);
            INDArray y = Nd4j.rand(DataType.DOUBLE, 5, 2);
            assertTrue(GradientCheckUtil.checkGradients(new GradientCheckUtil.MLNConfig().net(net).input(x).labels(y)
                    .epsilon(1e-6).maxRelError(1e-5).minAbsoluteError(1e-9)));
        } finally {
            Nd4j.setDefaultDataTypes(DataType.FLOAT, DataType.FLOAT);
        }
    }

    /**
     * DL4J lets the last consumer of a shared activation apply its dropout in place (ComputationGraph
     * allows input modification for the last one in topological order). Beside a cross network on the
     * same input (DCN's parallel structure), that is the deep part; the cross layer's backward pass
     * must still see the input its forward pass saw. Reference: the same graph with the deep part
     * added first, so that the cross layer is the last consumer and nothing is modified in place.
     */
    @Test
    void aSiblingsInPlaceDropoutDoesNotChangeTheCrossGradient() {
        INDArray x = Nd4j.rand(DataType.FLOAT, 6, 3);
        INDArray y = Nd4j.rand(DataType.FLOAT, 6, 1);
        ComputationGraph crossFirst = parallel(true), deepFirst = parallel(false);
        for (String layer : new String[]{"x0", "cross", "deep", "out"}) deepFirst.getLayer(layer).setParams(crossFirst.getLayer(layer).params().dup());
        INDArray[] gradients = new INDArray[2];
        int k = 0;
        for (ComputationGraph net : new ComputationGraph[]{crossFirst, deepFirst}) {
            Nd4j.getRandom().setSeed(11);
            net.setInputs(x);
            net.setLabels(y);
            net.computeGradientAndScore();
            gradients[k++] = net.getLayer("cross").getGradientsViewArray().dup();
        }
        assertEquals(gradients[1], gradients[0]);
    }

    private static ComputationGraph parallel(boolean crossFirst) {
        ComputationGraphConfiguration.GraphBuilder g = new NeuralNetConfiguration.Builder()
                .seed(3).dataType(DataType.FLOAT).updater(new NoOp())
                .graphBuilder().addInputs("in")
                .addLayer("x0", new DenseLayer.Builder().nIn(3).nOut(4).activation(Activation.IDENTITY).build(), "in");
        DenseLayer deep = new DenseLayer.Builder().nIn(4).nOut(5).activation(Activation.TANH).dropOut(0.5).build();
        if (crossFirst) g.addLayer("cross", new CrossNetworkLayer(4, 2, 0), "x0").addLayer("deep", deep, "x0");
        else g.addLayer("deep", deep, "x0").addLayer("cross", new CrossNetworkLayer(4, 2, 0), "x0");
        g.addVertex("merged", new MergeVertex(), "cross", "deep")
                .addLayer("out", new OutputLayer.Builder(LossFunctions.LossFunction.MSE).nIn(9).nOut(1).activation(Activation.IDENTITY).build(), "merged")
                .setOutputs("out");
        ComputationGraph net = new ComputationGraph(g.build());
        net.init();
        return net;
    }
}
