package org.cinelab.models;

import org.cinelab.data.PreparedData;
import org.cinelab.data.RatingSplits;

import java.util.List;

/** Biased MF. (Stub: being written.) */
public final class BiasedMatrixFactorization implements ModelFactory {
    public String type() { return "biased-mf"; }
    public String description() { return "Biased matrix factorisation (Koren, Bell, Volinsky 2009), SGD"; }
    public Class<? extends PreparedData> dataType() { return RatingSplits.class; }
    public List<HyperParameter> hyperParameters() {
        return List.of(HyperParameter.integer("factors", 64, 1, 4096, "latent dimensions"),
                HyperParameter.real("lr", 0.01, 0, 10, "SGD learning rate"),
                HyperParameter.real("reg", 0.05, 0, 10, "L2 regularisation"));
    }
    public String defaultObjectiveMetric() { return "rmse"; }
    public List<String> metricNames() { return List.of("rmse", "mae"); }
    public boolean lowerIsBetter(String metric) { return true; }
    public TrialModel create(Hyperparams params, PreparedData data, long seed) { throw new UnsupportedOperationException(); }
}
