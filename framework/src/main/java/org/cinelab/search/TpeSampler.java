package org.cinelab.search;

import org.cinelab.space.Domain;
import org.cinelab.space.HyperParameter;
import org.cinelab.space.SearchSpace;

import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.SortedMap;
import java.util.TreeMap;

/**
 * {@code sampler: tpe}: the tree-structured Parzen estimator (Bergstra, Bardenet, Bengio and Kégl,
 * NeurIPS 2011) as Optuna's {@code TPESampler} (v4.9) implements it. The observed trials are split
 * into the best {@code gamma} and the rest ({@link TpeObservations}, at one epoch budget as BOHB
 * when a scheduler trains trials to different epochs); a {@link ParzenEstimator} is fitted to each,
 * {@code ei_candidates} configurations are drawn from the good one, and the one with the largest
 * ratio l(x) / g(x) (the expected improvement) is suggested.
 *
 * <p>Independent mode fits one estimator per hyperparameter, in an order where a {@code when:}
 * condition's parent is decided before its children, each on the trials where it was active;
 * {@code multivariate: true} fits one joint estimator over the parameters that are active together
 * (all of them in a space without conditions: Optuna's {@code multivariate} and {@code group}).
 *
 * <p>Start-up: trial numbers below {@code startup_trials}, and any trial while no budget has
 * max(startup_trials, parameters + 1) observations, are drawn at random. Every suggestion uses a
 * {@link Random} seeded by {@code Seeds.derive(seed, "tpe/" + index)}, so it is a function of the
 * seed, the trial number and the history alone, as the {@link Sampler} contract requires; the
 * start-up trials are known in advance and {@code cinelab plan} prints them.
 */
public final class TpeSampler implements Sampler {

    /** The options of {@code search.sampler: {type: tpe, ...}} (Optuna's names in brackets). */
    public record Options(int startupTrials, int eiCandidates, double gamma, int gammaMax, double priorWeight,
                          boolean multivariate, boolean constantLiar, boolean considerEndpoints) {
        public static final Options DEFAULTS = new Options(10, 24, 0.1, 25, 1.0, false, false, false);

        static Options of(Map<String, Object> o) {
            return new Options(
                    ((Number) o.getOrDefault("startup_trials", DEFAULTS.startupTrials)).intValue(),
                    ((Number) o.getOrDefault("ei_candidates", DEFAULTS.eiCandidates)).intValue(),
                    ((Number) o.getOrDefault("gamma", DEFAULTS.gamma)).doubleValue(),
                    ((Number) o.getOrDefault("gamma_max", DEFAULTS.gammaMax)).intValue(),
                    ((Number) o.getOrDefault("prior_weight", DEFAULTS.priorWeight)).doubleValue(),
                    (Boolean) o.getOrDefault("multivariate", DEFAULTS.multivariate),
                    (Boolean) o.getOrDefault("constant_liar", DEFAULTS.constantLiar),
                    (Boolean) o.getOrDefault("consider_endpoints", DEFAULTS.considerEndpoints));
        }
    }

    private final SearchSpace space;
    private final Options options;
    private final long seed;
    private final List<String> order;
    private final Map<String, TpeParam> params = new TreeMap<>();

    public TpeSampler(SearchSpace space, Options options, long seed) {
        this.space = space;
        this.options = options;
        this.seed = seed;
        this.order = space.topologicalOrder();
        space.forEach((name, domain) -> params.put(name, TpeParam.of(name, domain)));
    }

    public Options options() { return options; }

    @Override
    public boolean knownInAdvance(int index) { return index < options.startupTrials() || space.isEmpty(); }

    @Override
    public Map<String, Object> suggest(int index, SearchState history) {
        Random rng = new Random(Seeds.derive(seed, "tpe/" + index));
        if (space.isEmpty()) return Collections.emptySortedMap();
        if (index < options.startupTrials()) return randomDraw(rng);
        TpeObservations obs = TpeObservations.select(history, minObservations(), options.gamma(), options.gammaMax(),
                options.constantLiar());
        if (obs == null) return randomDraw(rng);
        return options.multivariate() ? sampleJointly(obs, rng) : sampleIndependently(obs, rng);
    }

    /** Observations needed at a budget before TPE replaces random draws: BOHB's d + 1, and at least the start-up count. */
    int minObservations() { return Math.max(options.startupTrials(), space.size() + 1); }

    /** Every domain sampled in name order (as the random sampler), inactive parameters dropped. */
    private Map<String, Object> randomDraw(Random rng) {
        SortedMap<String, Object> config = new TreeMap<>();
        space.forEach((name, domain) -> config.put(name, domain.sample(rng)));
        return space.activeOnly(config);
    }

    private Map<String, Object> sampleIndependently(TpeObservations obs, Random rng) {
        SortedMap<String, Object> config = new TreeMap<>();
        for (String name : order) {
            if (!space.isActive(name, config)) continue;
            TpeParam p = params.get(name);
            double[] best = sample(List.of(p), obs, rng);
            config.put(name, p.external(best[0]));
        }
        return Collections.unmodifiableSortedMap(config);
    }

    private Map<String, Object> sampleJointly(TpeObservations obs, Random rng) {
        SortedMap<String, Object> config = new TreeMap<>();
        for (List<String> group : groups(obs)) {
            List<TpeParam> ps = group.stream().map(params::get).toList();
            double[] best = sample(ps, obs, rng);
            for (int j = 0; j < ps.size(); j++) config.put(ps.get(j).name(), ps.get(j).external(best[j]));
        }
        return space.activeOnly(config);
    }

    /** The candidate from l(x) with the largest log l(x) - log g(x); ties go to the earlier candidate. */
    private double[] sample(List<TpeParam> ps, TpeObservations obs, Random rng) {
        ParzenEstimator below = estimator(ps, obs.below());
        ParzenEstimator above = estimator(ps, obs.above());
        double[] best = null;
        double bestScore = Double.NEGATIVE_INFINITY;
        for (int i = 0; i < options.eiCandidates(); i++) {
            double[] x = below.sample(rng);
            double score = below.logPdf(x) - above.logPdf(x);
            if (best == null || score > bestScore) {
                best = x;
                bestScore = score;
            }
        }
        return best;
    }

    /** An estimator over {@code ps} from the trials in which all of them were active. */
    private ParzenEstimator estimator(List<TpeParam> ps, List<TrialRecord> trials) {
        List<double[]> rows = new ArrayList<>();
        for (TrialRecord r : trials) {
            double[] row = new double[ps.size()];
            boolean complete = true;
            for (int j = 0; j < ps.size() && complete; j++) {
                row[j] = ps.get(j).internal(r.values().get(ps.get(j).name()));
                complete = !Double.isNaN(row[j]);
            }
            if (complete) rows.add(row);
        }
        return new ParzenEstimator(ps, rows.toArray(double[][]::new), options.priorWeight(), options.considerEndpoints(),
                options.multivariate());
    }

    /**
     * Optuna's group decomposition: the coarsest partition of the parameters such that every observed
     * trial has either all or none of each part; parameters no trial had are each a part of their own.
     * Parts are ordered, and their members listed, in the space's topological order.
     */
    List<List<String>> groups(TpeObservations obs) {
        if (!space.hasConditions()) return List.of(order);
        List<Set<String>> parts = new ArrayList<>();
        List<TrialRecord> observed = new ArrayList<>(obs.below());
        observed.addAll(obs.above());
        for (TrialRecord r : observed) {
            Set<String> active = new LinkedHashSet<>();
            for (String name : order) if (r.values().containsKey(name)) active.add(name);
            List<Set<String>> next = new ArrayList<>();
            Set<String> covered = new LinkedHashSet<>();
            for (Set<String> part : parts) {
                Set<String> in = new LinkedHashSet<>(part), out = new LinkedHashSet<>(part);
                in.retainAll(active);
                out.removeAll(active);
                if (!in.isEmpty()) next.add(in);
                if (!out.isEmpty()) next.add(out);
                covered.addAll(part);
            }
            Set<String> fresh = new LinkedHashSet<>(active);
            fresh.removeAll(covered);
            if (!fresh.isEmpty()) next.add(fresh);
            parts = next;
        }
        Set<String> seen = new LinkedHashSet<>();
        parts.forEach(seen::addAll);
        for (String name : order) if (!seen.contains(name)) parts.add(Set.of(name));
        List<List<String>> out = new ArrayList<>();
        for (Set<String> part : parts) out.add(order.stream().filter(part::contains).toList());
        out.sort((a, b) -> Integer.compare(order.indexOf(a.get(0)), order.indexOf(b.get(0))));
        return out;
    }

    /** {@code sampler: tpe}. */
    static final class Factory implements SamplerFactory {
        public String name() { return "tpe"; }

        public String description() {
            return "tree-structured Parzen estimator: learns from every result (Bergstra et al. 2011, as Optuna)";
        }

        @Override
        public List<HyperParameter> options() {
            Options d = Options.DEFAULTS;
            return List.of(
                    HyperParameter.integer("startup_trials", d.startupTrials(), 0, 1_000_000,
                            "trials drawn at random before TPE takes over (Optuna n_startup_trials)"),
                    HyperParameter.integer("ei_candidates", d.eiCandidates(), 1, 1_000_000,
                            "candidates drawn from l(x) per suggestion; the best l(x)/g(x) wins (Optuna n_ei_candidates)"),
                    HyperParameter.real("gamma", d.gamma(), 0.001, 1,
                            "share of the observations that form l(x), the good ones: ceil(gamma * n), at most gamma_max"),
                    HyperParameter.integer("gamma_max", d.gammaMax(), 1, Integer.MAX_VALUE,
                            "cap on the good observations (Optuna's default gamma is min(ceil(0.1 n), 25))"),
                    HyperParameter.real("prior_weight", d.priorWeight(), 0, 1e6, "weight of the prior kernel in each estimator"),
                    HyperParameter.flag("multivariate", d.multivariate(),
                            "one joint estimator over the parameters active together, instead of one per parameter"),
                    HyperParameter.flag("constant_liar", d.constantLiar(),
                            "running trials count as the worst value, so parallel workers spread out"),
                    HyperParameter.flag("consider_endpoints", d.considerEndpoints(),
                            "the domain's ends count as neighbours when sizing the outermost kernels"));
        }

        @Override
        public List<SearchProblem> check(SearchSpace space, SearchSettings settings) {
            List<SearchProblem> out = new ArrayList<>();
            space.forEach((name, domain) -> {
                if (domain instanceof Domain.Choice c && c.values().size() < 2) {
                    out.add(new SearchProblem("space." + name, "a choice of one value is a fixed value: put it in model.params;"
                            + " TPE needs two or more"));
                } else if (domain instanceof Domain.IntRange r && r.high() - r.low() < r.step()) {
                    out.add(new SearchProblem("space." + name, "an int range of one value is a fixed value: put it in"
                            + " model.params; TPE needs two or more"));
                }
            });
            Options o = Options.of(settings.samplerOptions());
            if (settings.trials() != null && o.startupTrials() >= settings.trials()) {
                out.add(new SearchProblem("search.sampler.startup_trials", "all " + settings.trials() + " trials would be random"
                        + " start-up trials (startup_trials: " + o.startupTrials() + "); set startup_trials below search.trials,"
                        + " or use sampler random"));
            }
            return out;
        }

        public Sampler create(SearchSpace space, Map<String, Object> options, long seed, Objective objective) {
            return new TpeSampler(space, Options.of(options), seed);
        }
    }
}
