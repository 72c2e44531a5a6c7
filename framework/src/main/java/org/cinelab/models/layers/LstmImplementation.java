package org.cinelab.models.layers;

import org.cinelab.space.HyperParameter;
import org.deeplearning4j.nn.conf.RNNFormat;
import org.deeplearning4j.nn.conf.layers.EmbeddingSequenceLayer;
import org.deeplearning4j.nn.conf.layers.LSTM;
import org.deeplearning4j.nn.conf.layers.Layer;
import org.deeplearning4j.nn.weights.WeightInit;
import org.nd4j.linalg.activations.Activation;

import java.util.List;

/**
 * Which recurrent layers a model builds, the model setting {@code lstm_impl}: CineLab's
 * ({@link FusedLstm} and {@link SequenceEmbedding}, the default) or DL4J's ({@code LSTM} and
 * {@code EmbeddingSequenceLayer}, for comparison). Both have the same parameters and start from the
 * same weights with the same seed, so checkpoints and exported models load into either.
 */
public enum LstmImplementation {
    CINELAB, DL4J;

    public static final String SETTING = "lstm_impl";

    /** The model hyperparameter that chooses, for a model's {@code hyperParameters()}. */
    public static HyperParameter hyperParameter() {
        return HyperParameter.choice(SETTING, "cinelab", List.of("cinelab", "dl4j"),
                "LSTM and embedding layers: cinelab (fused, fast) or dl4j (DL4J's own, for comparison); same parameters");
    }

    /** By its setting value, {@code cinelab} or {@code dl4j}; anything else is refused naming both. */
    public static LstmImplementation of(String name) {
        for (LstmImplementation i : values()) if (i.name().equalsIgnoreCase(name)) return i;
        throw new IllegalArgumentException(SETTING + " '" + name + "': expected cinelab or dl4j");
    }

    /** An LSTM layer (tanh, sigmoid gates) with DL4J's input dropout at {@code dropout} (a rate; 0 = none). */
    public Layer lstm(long nIn, long nOut, double dropout) {
        if (this == CINELAB) {
            FusedLstm.Builder b = new FusedLstm.Builder().nIn(nIn).nOut(nOut).activation(Activation.TANH);
            if (dropout > 0) b.dropOut(1 - dropout); // DL4J takes the retain probability
            return b.build();
        }
        LSTM.Builder b = new LSTM.Builder().nIn(nIn).nOut(nOut).activation(Activation.TANH);
        if (dropout > 0) b.dropOut(1 - dropout);
        return b.build();
    }

    /**
     * A sequence embedding of {@code vocabulary} indices into {@code width} values per step, identity
     * activation, NCW output; {@code weightInit} null keeps the network's default.
     */
    public Layer sequenceEmbedding(long vocabulary, long width, int length, WeightInit weightInit) {
        if (this == CINELAB) {
            SequenceEmbedding.Builder b = new SequenceEmbedding.Builder().nIn(vocabulary).nOut(width).inputLength(length)
                    .outputDataFormat(RNNFormat.NCW);
            if (weightInit != null) b.weightInit(weightInit);
            return b.build();
        }
        EmbeddingSequenceLayer.Builder b = new EmbeddingSequenceLayer.Builder().nIn(vocabulary).nOut(width).inputLength(length)
                .outputDataFormat(RNNFormat.NCW).activation(Activation.IDENTITY);
        if (weightInit != null) b.weightInit(weightInit);
        return b.build();
    }
}
