package org.cinelab.models.autoencoder;

import org.cinelab.data.PreparedData;
import org.cinelab.data.RatingSplits;
import org.cinelab.space.HyperParameter;
import org.cinelab.space.Hyperparams;
import org.cinelab.models.ModelFactory;
import org.cinelab.models.TrialModel;
import org.cinelab.models.dl4j.DenseEngine;
import org.cinelab.models.dl4j.Optimisers;
import org.cinelab.models.dl4j.RatingMetrics;

import java.util.List;

/**
 * Rating-vector autoencoders, registered twice with different defaults:
 * {@code stacked-autoencoder}, the S3 study's user-based 1682-20-10-20-1682 sigmoid network with
 * RMSprop (PyTorch's decay 0.99), and {@code autorec}, item-based AutoRec (Sedhain, Menon, Sanner,
 * Xie, "AutoRec: Autoencoders Meet Collaborative Filtering", WWW 2015) with 500 sigmoid units, an
 * identity output and L2 on the weights. Every setting of either is a hyperparameter of both.
 */
public final class RatingAutoencoderFactory implements ModelFactory {
    private final String type;
    private final String description;
    private final List<HyperParameter> hyperParameters;

    private RatingAutoencoderFactory(String type, String description, List<HyperParameter> hyperParameters) {
        this.type = type;
        this.description = description;
        this.hyperParameters = hyperParameters;
    }

    /** The S3 course network and its training settings (the study-faithful spec adds gradient accumulation). */
    public static RatingAutoencoderFactory stackedAutoencoder() {
        return new RatingAutoencoderFactory("stacked-autoencoder",
                "User-based stacked autoencoder on rating vectors, masked MSE (S3 study); DL4J",
                settings("user", "20,10,20", "rmsprop", 0.01, 0.0, "l2", true, 1, false, "all_outputs", "pytorch"));
    }

    /** Item-based AutoRec. */
    public static RatingAutoencoderFactory autoRec() {
        return new RatingAutoencoderFactory("autorec",
                "Item-based AutoRec (Sedhain et al. 2015): one sigmoid hidden layer over an item's ratings, masked loss, L2; DL4J",
                settings("item", "500", "adam", 0.001, 0.001, "l2", false, 32, true, "sum", "xavier"));
    }

    private static List<HyperParameter> settings(String orientation, String hidden, String optimizer, double lr,
                                                 double weightDecay, String decayMode, boolean decayBiases, int batchSize,
                                                 boolean shuffle, String normalisation, String init) {
        List<String> activations = List.of("sigmoid", "relu", "tanh", "elu", "selu", "identity", "swish", "gelu");
        return List.of(
                HyperParameter.choice("orientation", orientation, List.of("user", "item"),
                        "rows are users (vector over movies) or items (vector over users)"),
                HyperParameter.intList("hidden", java.util.Arrays.stream(hidden.split(",")).map(String::trim).map(Integer::valueOf).toList(),
                        1, 1_000_000, false, "hidden layer sizes, e.g. [20, 10, 20]"),
                HyperParameter.choice("activation", "sigmoid", activations, "activation of the hidden layers"),
                HyperParameter.choice("output_activation", "identity", activations, "activation of the reconstruction"),
                HyperParameter.choice("optimizer", optimizer, Optimisers.NAMES, "optimiser"),
                HyperParameter.real("lr", lr, 1e-7, 10.0, "learning rate"),
                HyperParameter.real("rms_decay", 0.99, 0.0, 0.99999, "RMSprop squared-gradient decay (PyTorch 0.99; DL4J's default is 0.95)"),
                HyperParameter.real("epsilon", 1e-8, 0.0, 1.0, "RMSprop/Adam epsilon (PyTorch 1e-8)"),
                HyperParameter.real("weight_decay", weightDecay, 0.0, 100.0,
                        "L2 coefficient added to the gradient before the optimiser, as PyTorch's weight_decay"),
                HyperParameter.choice("decay_mode", decayMode, List.of("l2", "decoupled"),
                        "l2: added to the gradient before the optimiser (PyTorch's weight_decay); decoupled: w -= lr * weight_decay * w after it (AdamW), "
                                + "which an adaptive optimiser does not inflate for parameters whose data gradient is zero in a step"),
                HyperParameter.flag("decay_biases", decayBiases, "apply weight_decay to biases too (PyTorch does)"),
                HyperParameter.real("dropout", 0.0, 0.0, 0.95, "drop probability on the inputs of every layer after the first"),
                HyperParameter.integer("batch_size", batchSize, 1, 100_000, "rows per step (the course code steps per user: 1)"),
                HyperParameter.flag("shuffle", shuffle, "shuffle rows each epoch (seeded by trial seed and epoch); off = id order, as the course code"),
                HyperParameter.flag("accumulate_gradients", false,
                        "step on the running sum of all gradients so far, never cleared (reproduces the S3 course code's missing zero_grad)"),
                HyperParameter.choice("loss_normalisation", normalisation, List.of("all_outputs", "observed", "sum"),
                        "per-row squared error on observed ratings divided by the row length (nn.MSELoss as in the course), by the row's rating count, or summed (AutoRec)"),
                HyperParameter.choice("init", init, List.of("pytorch", "xavier", "relu", "xavier_uniform", "lecun_normal"),
                        "weight init: pytorch = nn.Linear's U(±1/sqrt(fan_in)) weights with zero biases"),
                HyperParameter.flag("clip", true, "clip predictions to the rating range (the course code does not)"),
                DenseEngine.hyperParameter());
    }

    @Override
    public String type() { return type; }

    @Override
    public String description() { return description; }

    @Override
    public Class<? extends PreparedData> dataType() { return RatingSplits.class; }

    @Override
    public List<HyperParameter> hyperParameters() { return hyperParameters; }

    @Override
    public String defaultObjectiveMetric() { return "rmse"; }

    @Override
    public List<String> metricNames() { return List.of("rmse", "mae", RatingMetrics.USER_RMSE); }

    @Override
    public boolean lowerIsBetter(String metric) { return true; }

    @Override
    public TrialModel create(Hyperparams params, PreparedData data, long seed) {
        return new RatingAutoencoder(AutoencoderSettings.from(params), (RatingSplits) data, seed);
    }
}
