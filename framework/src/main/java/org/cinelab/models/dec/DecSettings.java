package org.cinelab.models.dec;

import org.cinelab.space.HyperParameter;
import org.cinelab.models.dl4j.DenseEngine;
import org.cinelab.space.Hyperparams;

import java.util.Arrays;
import java.util.List;

/**
 * The settings of a DEC trial, read once from the resolved hyperparameters. Defaults follow the
 * S1 study's seed 000 (MSE, RMSprop 0.001, batch 128; k = 20 with 20 k-means restarts; KL refinement
 * with SGD 0.01, momentum 0.9, batch 256, target refreshed every 140 batches, tol 0.1%).
 */
record DecSettings(int[] dims, String loss, double lr, double rmsDecay, double epsilon, int batchSize,
                   int clusters, int kmeansRestarts, int kmeansIterations, double alpha,
                   double refineLr, double refineMomentum, int refineBatchSize, int updateInterval,
                   int maxIterations, double tol, boolean fitOnAll, boolean scatter, boolean dl4jEngine) {

    static List<HyperParameter> declared() {
        return List.of(
                HyperParameter.intList("dims", List.of(500, 500, 2000, 10), 1, 1_000_000, false,
                        "encoder widths after the input, e.g. [500, 500, 2000, 10]; the last is the embedding (the decoder mirrors them)"),
                HyperParameter.choice("pretrain_loss", "mse", List.of("mse", "xent"), "autoencoder loss: mse (seed 000) or binary cross-entropy (notebook)"),
                HyperParameter.real("lr", 0.001, 1e-7, 10, "pre-training RMSprop learning rate"),
                HyperParameter.real("rms_decay", 0.9, 0.0, 0.9999, "RMSprop decay (Keras rho 0.9)"),
                HyperParameter.real("epsilon", 1e-7, 0.0, 1.0, "RMSprop epsilon (Keras 1e-7)"),
                HyperParameter.integer("batch_size", 128, 1, 1 << 20, "pre-training minibatch"),
                HyperParameter.integer("clusters", 20, 2, 1000, "number of clusters k"),
                HyperParameter.integer("kmeans_restarts", 20, 1, 1000, "k-means n_init: restarts, the lowest inertia wins"),
                HyperParameter.integer("kmeans_iterations", 300, 1, 100_000, "k-means iterations per restart"),
                HyperParameter.real("alpha", 1.0, 1e-6, 1e6, "Student-t degrees of freedom of the soft assignment"),
                HyperParameter.real("refine_lr", 0.01, 0.0, 10, "KL refinement SGD learning rate"),
                HyperParameter.real("refine_momentum", 0.9, 0.0, 0.9999, "KL refinement SGD momentum"),
                HyperParameter.integer("refine_batch_size", 256, 1, 1 << 20, "KL refinement minibatch"),
                HyperParameter.integer("update_interval", 140, 1, 1_000_000, "batches between target-distribution refreshes"),
                HyperParameter.integer("max_iterations", 1000, 0, 10_000_000, "KL refinement batches at most (0 = autoencoder + k-means only)"),
                HyperParameter.real("tol", 0.001, 0.0, 1.0, "stop refining when fewer than this share of labels change between refreshes"),
                HyperParameter.choice("fit_on", "all", List.of("all", "train"),
                        "titles the autoencoder and clusters are fitted on: all (the study: clustering is transductive) or the training part"),
                HyperParameter.flag("scatter", true, "draw the 2-D PCA scatter of the embedding coloured by cluster"),
                DenseEngine.hyperParameter());
    }

    static DecSettings of(Hyperparams h) {
        return new DecSettings(h.getIntList("dims"), h.getString("pretrain_loss"), h.getDouble("lr"),
                h.getDouble("rms_decay"), h.getDouble("epsilon"), h.getInt("batch_size"), h.getInt("clusters"),
                h.getInt("kmeans_restarts"), h.getInt("kmeans_iterations"), h.getDouble("alpha"), h.getDouble("refine_lr"),
                h.getDouble("refine_momentum"), h.getInt("refine_batch_size"), h.getInt("update_interval"),
                h.getInt("max_iterations"), h.getDouble("tol"), h.getString("fit_on").equals("all"),
                h.getBoolean("scatter"), DenseEngine.isDl4j(h));
    }


    int embeddingSize() { return dims[dims.length - 1]; }
}
