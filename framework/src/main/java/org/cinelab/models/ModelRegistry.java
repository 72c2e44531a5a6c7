package org.cinelab.models;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;

/** All models by {@code model.type}. Adding a model is one class and one line here. */
public final class ModelRegistry {
    private static final Map<String, ModelFactory> MODELS = new LinkedHashMap<>();

    static {
        register(new BiasedMatrixFactorization());
        register(org.cinelab.models.autoencoder.RatingAutoencoderFactory.stackedAutoencoder());
        register(org.cinelab.models.autoencoder.RatingAutoencoderFactory.autoRec());
        register(org.cinelab.models.recsys.RecsysFactory.ranking());
        register(org.cinelab.models.recsys.RecsysFactory.deepAndCross());
        register(org.cinelab.models.recsys.RecsysFactory.twoTower());
        register(new org.cinelab.models.dec.DecFactory());
        register(org.cinelab.models.text.TextClassifierFactory.dnn());
        register(org.cinelab.models.text.TextClassifierFactory.lstm());
        register(new org.cinelab.models.timeseries.MovieKMeansFactory());
        register(new org.cinelab.models.timeseries.EmbeddingDenseFactory());
        register(new org.cinelab.models.timeseries.TimeLstmFactory());
    }

    private ModelRegistry() {}

    private static void register(ModelFactory m) { MODELS.put(m.type(), m); }

    public static Optional<ModelFactory> find(String type) { return Optional.ofNullable(MODELS.get(type)); }

    public static Map<String, ModelFactory> all() { return Collections.unmodifiableMap(MODELS); }
}
