package org.cinelab.models.layers;

import org.deeplearning4j.exception.DL4JInvalidInputException;
import org.deeplearning4j.nn.conf.NeuralNetConfiguration;
import org.deeplearning4j.nn.conf.RNNFormat;
import org.deeplearning4j.nn.conf.layers.EmbeddingSequenceLayer;
import org.deeplearning4j.nn.conf.layers.Layer;
import org.deeplearning4j.nn.conf.layers.OutputLayer;
import org.deeplearning4j.nn.conf.layers.recurrent.LastTimeStep;
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
import org.nd4j.linalg.learning.config.NoOp;
import org.nd4j.linalg.learning.config.Sgd;
import org.nd4j.linalg.lossfunctions.LossFunctions;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.util.Map;
import java.util.Random;

import static org.junit.jupiter.api.Assertions.*;

class SequenceEmbeddingTest {
    private static final int VOCABULARY = 50, WIDTH = 20, LENGTH = 7;

    /** Embedding -> DL4J's LSTM -> last step -> softmax, so only the embedding differs between the two. */
    private static MultiLayerNetwork network(boolean cinelab, boolean bias, org.nd4j.linalg.learning.config.IUpdater updater) {
        Layer embedding = cinelab
                ? new SequenceEmbedding.Builder().nIn(VOCABULARY).nOut(WIDTH).inputLength(LENGTH).hasBias(bias).build()
                : new EmbeddingSequenceLayer.Builder().nIn(VOCABULARY).nOut(WIDTH).inputLength(LENGTH).hasBias(bias).build();
        MultiLayerNetwork n = new MultiLayerNetwork(new NeuralNetConfiguration.Builder().seed(2).dataType(DataType.FLOAT)
                .weightInit(WeightInit.XAVIER_UNIFORM).updater(updater).list()
                .layer(embedding)
                .layer(new LastTimeStep(LstmImplementation.DL4J.lstm(WIDTH, 6, 0)))
                .layer(new OutputLayer.Builder(LossFunctions.LossFunction.MCXENT).nIn(6).nOut(3).activation(Activation.SOFTMAX).build())
                .build());
        n.init();
        return n;
    }

    private static INDArray words(int batch, long seed) {
        Random r = new Random(seed);
        float[][] w = new float[batch][LENGTH];
        for (float[] row : w) for (int t = 0; t < LENGTH; t++) row[t] = r.nextInt(VOCABULARY);
        w[0][0] = w[0][1] = w[1][3] = 7; // a word used several times in a batch
        return Nd4j.createFromArray(w);
    }

    private static INDArray labels(int batch) {
        INDArray y = Nd4j.zeros(DataType.FLOAT, batch, 3);
        for (int i = 0; i < batch; i++) y.putScalar(i, i % 3, 1);
        return y;
    }

    @ParameterizedTest
    @ValueSource(booleans = {false, true})
    void sameParametersOutputsAndGradientsAsDl4jsEmbeddingSequenceLayer(boolean bias) {
        MultiLayerNetwork dl4j = network(false, bias, new NoOp()), cinelab = network(true, bias, new NoOp());
        assertEquals(dl4j.params(), cinelab.params(), "same seed, same initial parameters");
        cinelab.getLayer(0).setParam("W", Nd4j.rand(DataType.FLOAT, VOCABULARY, WIDTH));
        if (bias) cinelab.getLayer(0).setParam("b", Nd4j.rand(DataType.FLOAT, 1, WIDTH));
        dl4j.setParams(cinelab.params());
        INDArray x = words(9, 1), y = labels(9);
        INDArray mask = Nd4j.ones(DataType.FLOAT, 9, LENGTH);
        for (int b = 0; b < 9; b++) for (int t = LENGTH - b % 3; t < LENGTH; t++) mask.putScalar(b, t, 0);
        for (INDArray m : new INDArray[]{null, mask}) {
            assertEquals(dl4j.feedForward(x, false).get(1), cinelab.feedForward(x, false).get(1));
            for (MultiLayerNetwork n : new MultiLayerNetwork[]{dl4j, cinelab}) {
                n.setInput(x);
                n.setLabels(y);
                n.setMask(m);
                n.computeGradientAndScore();
            }
            Map<String, INDArray> expected = dl4j.gradient().gradientForVariable(), actual = cinelab.gradient().gradientForVariable();
            assertEquals(expected.keySet(), actual.keySet());
            for (String key : expected.keySet()) {
                assertTrue(FusedLstmTest.relativeError(actual.get(key), expected.get(key)) < 1e-6, key + (m == null ? "" : " (masked)"));
            }
        }
    }

    @Test
    void anIndexOutsideTheVocabularyIsRefusedWithItsPosition() {
        INDArray x = words(2, 3);
        x.putScalar(1, 4, VOCABULARY);
        DL4JInvalidInputException e = assertThrows(DL4JInvalidInputException.class, () -> network(true, false, new NoOp()).output(x));
        assertTrue(e.getMessage().contains("entry [1, 4]") && e.getMessage().contains("from 0 to 49"), e.getMessage());
    }

    @Test
    void trainingMovesOnlyTheRowsOfWordsSeenAndSurvivesSaveAndRestore() throws Exception {
        MultiLayerNetwork net = network(true, false, new Sgd(0.5));
        INDArray before = net.getLayer(0).getParam("W").dup();
        INDArray x = words(4, 5);
        net.fit(new DataSet(x, labels(4)));
        INDArray after = net.getLayer(0).getParam("W");
        java.util.Set<Integer> seen = new java.util.HashSet<>();
        for (float v : x.data().asFloat()) seen.add((int) v);
        for (int word = 0; word < VOCABULARY; word++) {
            boolean moved = !before.getRow(word).equals(after.getRow(word));
            assertEquals(seen.contains(word), moved, "word " + word);
        }
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        ModelSerializer.writeModel(net, bytes, true);
        MultiLayerNetwork restored = ModelSerializer.restoreMultiLayerNetwork(new ByteArrayInputStream(bytes.toByteArray()), true);
        assertInstanceOf(SequenceEmbedding.class, restored.getLayerWiseConfigurations().getConf(0).getLayer());
        assertEquals(net.output(x), restored.output(x));
    }

    @Test
    void theOutputIsTimeMajorSoTheFusedLstmReadsItInPlace() {
        MultiLayerNetwork net = network(true, false, new NoOp());
        INDArray out = net.feedForward(words(3, 2), false).get(1);
        assertArrayEquals(new long[]{3, WIDTH, LENGTH}, out.shape());
        assertArrayEquals(new long[]{WIDTH, 1, 3L * WIDTH}, out.stride());
        assertEquals(RNNFormat.NCW, ((SequenceEmbedding) net.getLayerWiseConfigurations().getConf(0).getLayer()).outputFormat());
    }
}
