package org.cinelab.models.dl4j;

import org.cinelab.space.HyperParameter;
import org.cinelab.space.Hyperparams;
import org.deeplearning4j.nn.graph.ComputationGraph;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.nd4j.linalg.api.ndarray.INDArray;

import java.util.List;

/**
 * The {@code engine} setting of the dense and embedding models: {@code auto} trains with CineLab's
 * {@link DenseTrainer} (dense layers) or {@link TowerTrainer} (user and item embeddings under dense
 * layers, optionally DCN's cross network, stacked or parallel) whenever the network allows it (identity, ReLU, sigmoid or tanh, plain dropout, MSE, masked
 * MSE, softmax with cross-entropy, sigmoid with binary cross-entropy or the in-batch softmax, SGD, Nesterov momentum, RMSprop, AdaGrad or Adam) and with DL4J's {@code fit} otherwise;
 * {@code dl4j} always uses DL4J's, for comparison. Both compute the same steps (to float rounding);
 * the parameters, checkpoints and exported model are DL4J's either way.
 */
public final class DenseEngine {
    public static final String NAME = "engine";

    private DenseEngine() {}

    public static HyperParameter hyperParameter() {
        return HyperParameter.choice(NAME, "auto", List.of("auto", "dl4j"),
                "auto: CineLab's trainer (same steps as DL4J's fit, dropout masks included, without its per-step overhead) unless"
                        + " the network has feature towers, another activation than identity/relu/sigmoid/tanh or another optimiser than"
                        + " sgd/nesterov momentum/rmsprop/adagrad/adam (dcn's cross network, stacked or parallel, full or low rank, is covered); dl4j: always DL4J's fit");
    }

    public static boolean isDl4j(Hyperparams h) { return h.getString(NAME).equals("dl4j"); }

    /** CineLab's trainer for the embedding graph {@code net}, or null when DL4J's {@code fit} is to train it (recorded in {@code choice}). */
    public static TowerTrainer trainer(boolean dl4j, ComputationGraph net, int maxBatch, TrainerChoice choice) {
        if (dl4j) {
            choice.whyNot().accept(NAME + ": dl4j");
            return null;
        }
        return choice.chosen(TowerTrainer.create(net, maxBatch, choice.whyNot()).orElse(null));
    }

    /** CineLab's trainer for {@code net}, or null when DL4J's {@code fit} is to train it (recorded in {@code choice}). */
    public static DenseTrainer trainer(boolean dl4j, MultiLayerNetwork net, INDArray features, INDArray labels, int maxBatch,
                                       INDArray accumulator, TrainerChoice choice) {
        if (dl4j) {
            choice.whyNot().accept(NAME + ": dl4j");
            return null;
        }
        return choice.chosen(DenseTrainer.create(net, features, labels, maxBatch, accumulator, choice.whyNot()).orElse(null));
    }
}
