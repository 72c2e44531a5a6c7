package org.cinelab.models;

import org.cinelab.space.Hyperparams;
import org.cinelab.space.HyperParameter;
import org.cinelab.data.FeaturedRatingSplits;
import org.cinelab.data.PreparedData;
import org.cinelab.data.RatingSplits;

import java.util.ArrayList;
import java.util.List;

/**
 * Koren's time-aware baseline (Koren 2009, "Collaborative filtering with temporal dynamics"): biased MF
 * plus time-binned item biases {@code b_i,Bin(t)} and, optionally, a linear per-user drift
 * {@code α_u·dev_u(t)}; see {@link TemporalBiases}. The time terms have their own learning rates and
 * regularisation because {@code dev_u} reaches ~20 over a few years, so {@code α_u} needs far smaller steps.
 */
public final class TimeAwareBiasedMatrixFactorization implements ModelFactory {

    @Override
    public String type() { return "biased-mf-time"; }

    @Override
    public String description() {
        return "Biased MF with time-binned item biases and per-user drift (Koren 2009, temporal dynamics); rating prediction";
    }

    @Override
    public Class<? extends PreparedData> dataType() { return RatingSplits.class; }

    @Override
    public List<HyperParameter> hyperParameters() {
        List<HyperParameter> all = new ArrayList<>(BiasedMatrixFactorization.baseHyperParameters());
        all.add(HyperParameter.integer("time_bins", 30, 1, 10_000, "equal-time bins of the training range for b_i,Bin(t)"));
        all.add(HyperParameter.real("lr_bin", 0.005, 0.0, 1.0, "SGD learning rate of the item time-bin biases"));
        all.add(HyperParameter.real("reg_bin", 0.1, 0.0, 100.0, "L2 regularisation of the item time-bin biases"));
        all.add(HyperParameter.flag("user_drift", true, "add alpha_u * dev_u(t), dev_u(t) = sign(t - t_u) |t - t_u|^0.4 in days"));
        all.add(HyperParameter.real("lr_drift", 1e-5, 0.0, 1.0, "SGD learning rate of alpha_u"));
        all.add(HyperParameter.real("reg_drift", 50.0, 0.0, 1000.0, "L2 regularisation of alpha_u"));
        return List.copyOf(all);
    }

    @Override
    public String defaultObjectiveMetric() { return "rmse"; }

    @Override
    public List<String> metricNames() { return List.of("rmse", "mae"); }

    @Override
    public boolean lowerIsBetter(String metric) { return true; }

    @Override
    public TrialModel create(Hyperparams params, PreparedData data, long seed) {
        RatingSplits ratings = FeaturedRatingSplits.ratingsOf(data);
        int bins = params.getInt("time_bins");
        if (bins < 1) throw new IllegalArgumentException("time_bins must be at least 1, got " + bins);
        TemporalBiases time = new TemporalBiases(ratings.train(), ratings.numUsers(), ratings.numItems(), bins,
                params.getDouble("lr_bin"), params.getDouble("reg_bin"), params.getBoolean("user_drift"),
                params.getDouble("lr_drift"), params.getDouble("reg_drift"));
        return BiasedMatrixFactorization.create(type(), params, ratings, seed, time);
    }
}
