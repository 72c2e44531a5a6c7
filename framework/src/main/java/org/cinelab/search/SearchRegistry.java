package org.cinelab.search;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;

/**
 * Every sampler and scheduler by the name a spec uses. Adding one is one class and one line here;
 * the search loop never changes. Names are matched with '_' and '-' treated alike
 * ({@code successive_halving} is {@code successive-halving}).
 */
public final class SearchRegistry {
    private static final Map<String, SamplerFactory> SAMPLERS = new LinkedHashMap<>();
    private static final Map<String, SchedulerFactory> SCHEDULERS = new LinkedHashMap<>();

    static {
        sampler(new GridSampler.Factory());
        sampler(new RandomSampler.Factory());
        sampler(new TpeSampler.Factory());
        sampler(new SobolSampler.Factory());
        scheduler(BracketScheduler.none());
        scheduler(BracketScheduler.successiveHalving());
        scheduler(BracketScheduler.hyperband());
        scheduler(new AshaScheduler.Factory());
    }

    private SearchRegistry() {}

    private static void sampler(SamplerFactory f) { SAMPLERS.put(f.name(), f); }

    private static void scheduler(SchedulerFactory f) { SCHEDULERS.put(f.name(), f); }

    public static Optional<SamplerFactory> sampler(String name) { return Optional.ofNullable(SAMPLERS.get(canonical(name))); }

    public static Optional<SchedulerFactory> scheduler(String name) { return Optional.ofNullable(SCHEDULERS.get(canonical(name))); }

    public static Map<String, SamplerFactory> samplers() { return Collections.unmodifiableMap(SAMPLERS); }

    public static Map<String, SchedulerFactory> schedulers() { return Collections.unmodifiableMap(SCHEDULERS); }

    /** The registered spelling: lower case, '-' between words. */
    public static String canonical(String name) { return name == null ? null : name.trim().replace('_', '-'); }
}
