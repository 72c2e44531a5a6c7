package org.cinelab.models.dl4j;

import org.nd4j.linalg.learning.config.AdaGrad;
import org.nd4j.linalg.learning.config.Adam;
import org.nd4j.linalg.learning.config.IUpdater;
import org.nd4j.linalg.learning.config.Nesterovs;
import org.nd4j.linalg.learning.config.RmsProp;
import org.nd4j.linalg.learning.config.Sgd;

import java.util.List;

/**
 * The optimisers a spec may name, built with explicit constants so that a study's PyTorch or
 * Keras setting is reproduced rather than DL4J's default (DL4J's RmsProp decay defaults to 0.95,
 * PyTorch's to 0.99).
 */
public final class Optimisers {
    public static final List<String> NAMES = List.of("rmsprop", "adam", "adagrad", "sgd", "nesterovs");

    private Optimisers() {}

    /**
     * @param rmsDecay RMSprop's squared-gradient decay (PyTorch alpha 0.99, Keras rho 0.9)
     * @param epsilon  RMSprop's, Adam's and AdaGrad's epsilon (PyTorch 1e-8, Keras 1e-7)
     */
    public static IUpdater create(String name, double lr, double rmsDecay, double epsilon) {
        return switch (name) {
            case "rmsprop" -> new RmsProp(lr, rmsDecay, epsilon);
            case "adam" -> new Adam(lr, 0.9, 0.999, epsilon);
            case "adagrad" -> new AdaGrad(lr, epsilon);
            case "sgd" -> new Sgd(lr);
            case "nesterovs" -> new Nesterovs(lr, 0.9);
            default -> throw new IllegalArgumentException("optimizer '" + name + "': expected one of " + NAMES);
        };
    }
}
