package org.cinelab.models.layers;

import org.deeplearning4j.nn.conf.MultiLayerConfiguration;
import org.deeplearning4j.nn.conf.NeuralNetConfiguration;
import org.deeplearning4j.nn.conf.layers.LSTM;
import org.deeplearning4j.nn.conf.layers.RnnOutputLayer;
import org.deeplearning4j.nn.conf.layers.OutputLayer;
import org.deeplearning4j.nn.conf.layers.recurrent.LastTimeStep;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.deeplearning4j.nn.weights.WeightInit;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.activations.Activation;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.learning.config.NoOp;
import org.nd4j.linalg.lossfunctions.LossFunctions;

import static org.junit.jupiter.api.Assertions.*;

class FusedLstmTest {

    private static MultiLayerNetwork net(boolean fused, int nIn, int[] units, boolean lastStep, int classes) {
        NeuralNetConfiguration.ListBuilder list = new NeuralNetConfiguration.Builder().seed(7).dataType(DataType.FLOAT)
                .weightInit(WeightInit.XAVIER).updater(new NoOp()).list();
        int in = nIn;
        for (int l = 0; l < units.length; l++) {
            org.deeplearning4j.nn.conf.layers.Layer layer = fused
                    ? new FusedLstm.Builder().nIn(in).nOut(units[l]).activation(Activation.TANH).build()
                    : new LSTM.Builder().nIn(in).nOut(units[l]).activation(Activation.TANH).build();
            list.layer(lastStep && l == units.length - 1 ? new LastTimeStep(layer) : layer);
            in = units[l];
        }
        list.layer(lastStep ? new OutputLayer.Builder(LossFunctions.LossFunction.MCXENT).nIn(in).nOut(classes).activation(Activation.SOFTMAX).build()
                : new RnnOutputLayer.Builder(LossFunctions.LossFunction.MCXENT).nIn(in).nOut(classes).activation(Activation.SOFTMAX).build());
        MultiLayerNetwork n = new MultiLayerNetwork(list.build());
        n.init();
        return n;
    }

    static double relativeError(INDArray a, INDArray b) {
        double diff = a.castTo(DataType.DOUBLE).sub(b.castTo(DataType.DOUBLE)).norm2Number().doubleValue();
        return diff / Math.max(1e-30, b.castTo(DataType.DOUBLE).norm2Number().doubleValue());
    }

    @Test
    void sameWeightsAsDl4jsLstmGiveTheSameOutputsAndGradients() {
        MultiLayerNetwork dl4j = net(false, 5, new int[]{20, 17}, true, 3), fused = net(true, 5, new int[]{20, 17}, true, 3);
        assertEquals(dl4j.params(), fused.params(), "same seed, same initial parameters");
        INDArray x = Nd4j.rand(DataType.FLOAT, 8, 5, 11).subi(0.5).muli(3);
        INDArray y = Nd4j.zeros(DataType.FLOAT, 8, 3);
        for (int i = 0; i < 8; i++) y.putScalar(i, i % 3, 1);
        INDArray outD = dl4j.output(x), outF = fused.output(x);
        System.out.println("output rel err " + relativeError(outF, outD));
        dl4j.setInput(x); dl4j.setLabels(y); dl4j.computeGradientAndScore();
        fused.setInput(x); fused.setLabels(y); fused.computeGradientAndScore();
        System.out.println("score " + dl4j.score() + " vs " + fused.score());
        INDArray gD = dl4j.gradient().gradient(), gF = fused.gradient().gradient();
        System.out.println("gradient rel err " + relativeError(gF, gD));
        for (String k : dl4j.gradient().gradientForVariable().keySet()) {
            System.out.println(k + " " + relativeError(fused.gradient().gradientForVariable().get(k), dl4j.gradient().gradientForVariable().get(k)));
        }
    }
}
