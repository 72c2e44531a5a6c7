package org.cinelab.models.zoo;

import org.cinelab.models.BenchmarkFunctionModel;
import org.cinelab.models.BiasedMatrixFactorization;
import org.cinelab.models.ModelFactory;
import org.cinelab.models.TimeAwareBiasedMatrixFactorization;
import org.cinelab.models.autoencoder.RatingAutoencoderFactory;
import org.cinelab.models.dec.DecFactory;
import org.cinelab.models.dec.TextKMeansFactory;
import org.cinelab.models.recsys.RecsysFactory;
import org.cinelab.models.text.TextClassifierFactory;
import org.cinelab.models.timeseries.EmbeddingDenseFactory;
import org.cinelab.models.timeseries.MovieKMeansFactory;
import org.cinelab.models.timeseries.TimeLstmFactory;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;

/** All models by {@code model.type}. Adding a model is one class and one line here. */
public final class ModelRegistry {
    private static final Map<String, ModelFactory> MODELS = new LinkedHashMap<>();

    static {
        register(new BiasedMatrixFactorization());
        register(new TimeAwareBiasedMatrixFactorization());
        register(RatingAutoencoderFactory.stackedAutoencoder());
        register(RatingAutoencoderFactory.autoRec());
        register(RecsysFactory.ranking());
        register(RecsysFactory.deepAndCross());
        register(RecsysFactory.twoTower());
        register(new DecFactory());
        register(new TextKMeansFactory());
        register(TextClassifierFactory.dnn());
        register(TextClassifierFactory.lstm());
        register(new MovieKMeansFactory());
        register(new EmbeddingDenseFactory());
        register(new TimeLstmFactory());
        register(new BenchmarkFunctionModel());
    }

    private ModelRegistry() {}

    private static void register(ModelFactory m) { MODELS.put(m.type(), m); }

    public static Optional<ModelFactory> find(String type) { return Optional.ofNullable(MODELS.get(type)); }

    public static Map<String, ModelFactory> all() { return Collections.unmodifiableMap(MODELS); }
}
