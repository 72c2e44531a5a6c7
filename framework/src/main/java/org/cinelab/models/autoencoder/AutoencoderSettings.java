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
                parseLayers(p.getString("hidden")),
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

    /** "20,10,20" -> {20, 10, 20}; the message names the setting and what is valid. */
    static int[] parseLayers(String spec) {
        try {
            int[] sizes = Arrays.stream(spec.split(",")).map(String::trim).mapToInt(Integer::parseInt).toArray();
            for (int s : sizes) if (s < 1) throw new NumberFormatException();
            if (sizes.length == 0) throw new NumberFormatException();
            return sizes;
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("hidden: '" + spec + "' is not a comma-separated list of positive layer sizes, e.g. \"20,10,20\"");
        }
    }
}
