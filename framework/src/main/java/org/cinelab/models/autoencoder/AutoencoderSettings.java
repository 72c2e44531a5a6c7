package org.cinelab.models.autoencoder;

import org.cinelab.space.Hyperparams;
import org.cinelab.models.dl4j.DenseEngine;
import org.cinelab.models.dl4j.MaskedMseLoss;

import java.util.Arrays;
import java.util.Locale;

/** A rating autoencoder's resolved hyperparameters, parsed and checked once. */
record AutoencoderSettings(
        boolean byUser,
        int[] hidden,
        String activation,
        String outputActivation,
        String optimizer,
        double lr,
        double rmsDecay,
        double epsilon,
        double weightDecay,
        boolean decoupledDecay,
        boolean decayBiases,
        double dropout,
        int batchSize,
        boolean shuffle,
        boolean accumulateGradients,
        MaskedMseLoss.Normalisation normalisation,
        String init,
        boolean clip,
        boolean dl4jEngine) {

    static AutoencoderSettings from(Hyperparams p) {
        return new AutoencoderSettings(
                p.getString("orientation").equals("user"),
                p.getIntList("hidden"),
                p.getString("activation"),
                p.getString("output_activation"),
                p.getString("optimizer"),
                p.getDouble("lr"),
                p.getDouble("rms_decay"),
                p.getDouble("epsilon"),
                p.getDouble("weight_decay"),
                p.getString("decay_mode").equals("decoupled"),
                p.getBoolean("decay_biases"),
                p.getDouble("dropout"),
                p.getInt("batch_size"),
                p.getBoolean("shuffle"),
                p.getBoolean("accumulate_gradients"),
                MaskedMseLoss.Normalisation.valueOf(p.getString("loss_normalisation").toUpperCase(Locale.ROOT)),
                p.getString("init"),
                p.getBoolean("clip"),
                DenseEngine.isDl4j(p));
    }

}
