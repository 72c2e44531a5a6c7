package org.cinelab.models.recsys;

import org.deeplearning4j.gradientcheck.GradientCheckUtil;
import org.deeplearning4j.nn.conf.NeuralNetConfiguration;
import org.deeplearning4j.nn.conf.layers.DenseLayer;
import org.deeplearning4j.nn.conf.layers.LossLayer;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.nd4j.linalg.activations.Activation;
import org.nd4j.linalg.activations.impl.ActivationIdentity;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.learning.config.NoOp;

import static org.junit.jupiter.api.Assertions.*;

class InBatchSoftmaxLossTest {

    @Test
    void eachUserIsScoredAgainstEveryMovieOfTheBatch() {
        // users (1,0) and (0,1); movies (2,0) and (0,0): logits [[2,0],[0,0]]
        INDArray pairs = Nd4j.createFromArray(new double[][]{{1, 0, 2, 0}, {0, 1, 0, 0}});
        double[] rows = new InBatchSoftmaxLoss(1, false)
                .computeScoreArray(pairs, pairs, new ActivationIdentity(), null).reshape(2).toDoubleVector();
        assertEquals(Math.log(1 + Math.exp(-2)), rows[0], 1e-12);
        assertEquals(Math.log(2), rows[1], 1e-12);
    }

    @Test
    void theLogQCorrectionSubtractsEachMovie_sLogProbabilityFromItsLogits() {
        // same pairs as above; log q = (log 0.5, log 0.25) in the labels' first column:
        // corrected logits [[2 - log .5, -log .25], [-log .5, -log .25]]
        INDArray pairs = Nd4j.createFromArray(new double[][]{{1, 0, 2, 0}, {0, 1, 0, 0}});
        INDArray labels = Nd4j.zeros(DataType.DOUBLE, 2, 4);
        labels.putScalar(0, 0, Math.log(0.5));
        labels.putScalar(1, 0, Math.log(0.25));
        double[] rows = new InBatchSoftmaxLoss(1, false, true)
                .computeScoreArray(labels, pairs, new ActivationIdentity(), null).reshape(2).toDoubleVector();
        double a = 2 - Math.log(0.5), b = -Math.log(0.25), c = -Math.log(0.5);
        assertEquals(Math.log(Math.exp(a) + Math.exp(b)) - a, rows[0], 1e-12);
        assertEquals(Math.log(Math.exp(c) + Math.exp(b)) - b, rows[1], 1e-12);
        // a rare movie (small q) gains against a popular one: row 1's positive is the rarer movie
        assertTrue(rows[1] < new InBatchSoftmaxLoss(1, false).computeScoreArray(pairs, pairs, new ActivationIdentity(), null).getDouble(1));
    }

    @Test
    void theWeightAndTheSumReductionScaleTheLoss() {
        INDArray pairs = Nd4j.rand(DataType.DOUBLE, 4, 6);
        ActivationIdentity id = new ActivationIdentity();
        double mean = new InBatchSoftmaxLoss(1, false).computeScore(pairs, pairs, id, null, true);
        assertEquals(2 * mean, new InBatchSoftmaxLoss(2, false).computeScore(pairs, pairs, id, null, true), 1e-12);
        assertEquals(4 * mean, new InBatchSoftmaxLoss(1, true).computeScore(pairs, pairs, id, null, true), 1e-12);
        assertEquals(0.0, new InBatchSoftmaxLoss(0, false).computeGradient(pairs, pairs, id, null).norm2Number().doubleValue());
    }

    @ParameterizedTest
    @CsvSource({"false,false", "true,false", "false,true"})
    void backpropagatedGradientsMatchFiniteDifferences(boolean sum, boolean logQ) {
        Nd4j.setDefaultDataTypes(DataType.DOUBLE, DataType.DOUBLE);
        try {
            MultiLayerNetwork net = new MultiLayerNetwork(new NeuralNetConfiguration.Builder()
                    .seed(11).dataType(DataType.DOUBLE).updater(new NoOp())
                    .list()
                    .layer(new DenseLayer.Builder().nIn(4).nOut(6).activation(Activation.TANH).build())
                    .layer(new LossLayer.Builder(new InBatchSoftmaxLoss(0.7, sum, logQ)).activation(Activation.IDENTITY).build())
                    .build());
            net.init();
            INDArray x = Nd4j.rand(DataType.DOUBLE, 5, 4);
            INDArray labels = Nd4j.zeros(DataType.DOUBLE, 5, 6);
            labels.putColumn(0, Nd4j.createFromArray(-1.0, -2.5, -0.3, -4.0, -1.7));
            assertTrue(GradientCheckUtil.checkGradients(new GradientCheckUtil.MLNConfig().net(net).input(x)
                    .labels(labels).epsilon(1e-6).maxRelError(1e-5).minAbsoluteError(1e-9)));
        } finally {
            Nd4j.setDefaultDataTypes(DataType.FLOAT, DataType.FLOAT);
        }
    }

    @Test
    void theScoreAfterAGradientIsTheScoreOfTheSameArraysAndAChangedArrayIsScoredAgain() {
        INDArray pairs = Nd4j.rand(org.nd4j.linalg.api.buffer.DataType.FLOAT, 6, 8);
        ActivationIdentity id = new ActivationIdentity();
        InBatchSoftmaxLoss fresh = new InBatchSoftmaxLoss(1.5, false), reusing = new InBatchSoftmaxLoss(1.5, false);
        double expected = fresh.computeScore(pairs, pairs, id, null, true);
        reusing.computeGradient(pairs, pairs, id, null);
        assertEquals(expected, reusing.computeScore(pairs, pairs, id, null, true), 1e-6);
        reusing.computeGradient(pairs, pairs, id, null);
        pairs.putScalar(0, 0, pairs.getDouble(0, 0) + 1);
        assertEquals(fresh.computeScore(pairs, pairs, id, null, true), reusing.computeScore(pairs, pairs, id, null, true), 1e-6);
    }
}
