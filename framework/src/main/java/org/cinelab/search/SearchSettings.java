package org.cinelab.search;

import java.util.Map;

/**
 * The {@code search:} section as the engine uses it: which sampler and scheduler (by registered
 * name, with their own options), how many trials ({@code null} when the sampler or scheduler
 * derives it: a grid, Hyperband), the epoch budget, early stopping (null when off) and whether
 * the chosen configuration is finally retrained on training + validation ({@code refit}).
 */
public record SearchSettings(String sampler, Map<String, Object> samplerOptions, Integer trials,
                             String scheduler, Map<String, Object> schedulerOptions,
                             int maxEpochs, int eta, int minEpochs, EarlyStopping earlyStopping, boolean refit) {

    public SearchSettings {
        samplerOptions = Map.copyOf(samplerOptions);
        schedulerOptions = Map.copyOf(schedulerOptions);
    }

    /** Default options, no early stopping, no refit. */
    public static SearchSettings of(String sampler, Integer trials, String scheduler, int maxEpochs, int eta, int minEpochs) {
        return new SearchSettings(sampler, Map.of(), trials, scheduler, Map.of(), maxEpochs, eta, minEpochs, null, false);
    }

    public SearchSettings withEarlyStopping(EarlyStopping es) {
        return new SearchSettings(sampler, samplerOptions, trials, scheduler, schedulerOptions, maxEpochs, eta, minEpochs, es, refit);
    }

    public SearchSettings withRefit(boolean r) {
        return new SearchSettings(sampler, samplerOptions, trials, scheduler, schedulerOptions, maxEpochs, eta, minEpochs, earlyStopping, r);
    }

    public SearchSettings withSamplerOptions(Map<String, Object> options) {
        return new SearchSettings(sampler, options, trials, scheduler, schedulerOptions, maxEpochs, eta, minEpochs, earlyStopping, refit);
    }
}
