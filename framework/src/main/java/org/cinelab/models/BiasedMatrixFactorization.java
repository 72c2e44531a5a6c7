package org.cinelab.models;

import org.cinelab.space.Hyperparams;
import org.cinelab.space.HyperParameter;
import org.cinelab.data.FeaturedRatingSplits;
import org.cinelab.data.PreparedData;
import org.cinelab.data.RatingSplits;

import java.util.List;
import java.util.SplittableRandom;

/**
 * Biased matrix factorisation (Koren, Bell and Volinsky, "Matrix Factorization Techniques for
 * Recommender Systems", 2009): {@code r̂ = μ + b_u + b_i + p_u·q_i}, trained by SGD over shuffled
 * ratings with L2 regularisation, as Surprise's SVD does. Plain float arrays rather than ND4J:
 * one tiny update per rating is dominated by native-call overhead in a tensor library.
 */
public final class BiasedMatrixFactorization implements ModelFactory {

    @Override
    public String type() { return "biased-mf"; }

    @Override
    public String description() {
        return "Biased matrix factorisation (Koren, Bell, Volinsky 2009) trained by SGD; rating prediction";
    }

    @Override
    public Class<? extends PreparedData> dataType() { return RatingSplits.class; }

    @Override
    public List<HyperParameter> hyperParameters() {
        return baseHyperParameters();
    }

    @Override
    public String defaultObjectiveMetric() { return "rmse"; }

    @Override
    public List<String> metricNames() { return List.of("rmse", "mae"); }

    @Override
    public boolean lowerIsBetter(String metric) { return true; }

    @Override
    public TrialModel create(Hyperparams params, PreparedData data, long seed) {
        return create(type(), params, FeaturedRatingSplits.ratingsOf(data), seed, BiasTerms.NONE);
    }

    /** The settings biased-mf-time shares. */
    static List<HyperParameter> baseHyperParameters() {
        return List.of(
                HyperParameter.integer("factors", 100, 1, 4096, "latent dimensions of p_u and q_i"),
                HyperParameter.real("lr", 0.005, 1e-6, 1.0, "SGD learning rate"),
                HyperParameter.real("reg", 0.02, 0.0, 10.0, "L2 regularisation of biases and factors"),
                HyperParameter.real("init_std", 0.1, 0.0, 10.0, "standard deviation of the normal initial factors"));
    }

    static TrialModel create(String type, Hyperparams params, RatingSplits data, long seed, BiasTerms extra) {
        return new SgdMatrixFactorization(type, data, params.getInt("factors"), params.getDouble("lr"),
                params.getDouble("reg"), params.getDouble("init_std"), seed, extra);
    }

    static int[] shuffled(int n, SplittableRandom rng) {
        int[] a = new int[n];
        for (int i = 0; i < n; i++) a[i] = i;
        for (int i = n - 1; i > 0; i--) {
            int j = rng.nextInt(i + 1);
            int t = a[i]; a[i] = a[j]; a[j] = t;
        }
        return a;
    }
}
