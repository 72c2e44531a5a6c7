package org.cinelab.models.dl4j;

import org.deeplearning4j.gradientcheck.GradientCheckUtil;
import org.deeplearning4j.nn.conf.NeuralNetConfiguration;
import org.deeplearning4j.nn.conf.layers.DenseLayer;
import org.deeplearning4j.nn.conf.layers.OutputLayer;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.deeplearning4j.nn.weights.WeightInit;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.activations.Activation;
import org.nd4j.linalg.activations.impl.ActivationIdentity;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.learning.config.NoOp;

import static org.junit.jupiter.api.Assertions.*;

class MaskedMseLossTest {

    private static INDArray ratings() {
        return Nd4j.createFromArray(new double[][]{
                {5, 0, 3, 0, 1},
                {0, 4, 0, 0, 2},
                {1, 0, 0, 0, 0}});
    }

    @Test
    void unobservedOutputsAddNeitherLossNorGradient() {
        INDArray labels = ratings();
        INDArray out = Nd4j.createFromArray(new double[][]{
                {4, 9, 3, 9, 2},
                {9, 4, 9, 9, 0},
                {1, 9, 9, 9, 9}});
        MaskedMseLoss loss = new MaskedMseLoss(MaskedMseLoss.Normalisation.SUM);
        INDArray scores = loss.computeScoreArray(labels, out, new ActivationIdentity(), null);
        assertArrayEquals(new double[]{2, 4, 0}, scores.reshape(3).toDoubleVector(), 1e-12);
        INDArray grad = loss.computeGradient(labels, out, new ActivationIdentity(), null);
        assertEquals(0.0, grad.getDouble(0, 1));
        assertEquals(-2.0, grad.getDouble(0, 0), 1e-12);
        assertEquals(-4.0, grad.getDouble(1, 4), 1e-12);
    }

    @Test
    void theNormalisationsDivideByRowLengthRatingCountOrNothing() {
        INDArray labels = ratings();
        INDArray out = labels.add(1.0);
        double[] all = new MaskedMseLoss(MaskedMseLoss.Normalisation.ALL_OUTPUTS)
                .computeScoreArray(labels, out, new ActivationIdentity(), null).reshape(3).toDoubleVector();
        double[] observed = new MaskedMseLoss(MaskedMseLoss.Normalisation.OBSERVED)
                .computeScoreArray(labels, out, new ActivationIdentity(), null).reshape(3).toDoubleVector();
        assertArrayEquals(new double[]{3 / 5.0, 2 / 5.0, 1 / 5.0}, all, 1e-12);
        assertArrayEquals(new double[]{1, 1, 1}, observed, 1e-12);
    }

    @ParameterizedTest
    @EnumSource(MaskedMseLoss.Normalisation.class)
    void backpropagatedGradientsMatchFiniteDifferences(MaskedMseLoss.Normalisation normalisation) {
        Nd4j.setDefaultDataTypes(DataType.DOUBLE, DataType.DOUBLE);
        try {
            MultiLayerNetwork net = new MultiLayerNetwork(new NeuralNetConfiguration.Builder()
                    .seed(7).dataType(DataType.DOUBLE).updater(new NoOp()).weightInit(WeightInit.XAVIER)
                    .list()
                    .layer(new DenseLayer.Builder().nIn(5).nOut(3).activation(Activation.SIGMOID).build())
                    .layer(new OutputLayer.Builder(new MaskedMseLoss(normalisation)).nIn(3).nOut(5).activation(Activation.IDENTITY).build())
                    .build());
            net.init();
            INDArray x = ratings();
            assertTrue(GradientCheckUtil.checkGradients(new GradientCheckUtil.MLNConfig().net(net).input(x).labels(x)
                    .epsilon(1e-6).maxRelError(1e-5).minAbsoluteError(1e-9)));
        } finally {
            Nd4j.setDefaultDataTypes(DataType.FLOAT, DataType.FLOAT);
        }
    }
}
