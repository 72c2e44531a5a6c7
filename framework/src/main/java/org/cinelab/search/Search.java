package org.cinelab.search;

import org.cinelab.space.SearchSpace;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * One search as a spec defines it: its sampler and scheduler built from the registry, and how new
 * trials are named and seeded. Trial ids ({@code t001}) follow creation order, zero-padded to the
 * width of the largest possible id; a trial's seed derives from the search seed and its id, so it
 * does not depend on when or where the trial runs. The sampler's seed is
 * {@code Seeds.derive(seed, "sampler")}.
 */
public final class Search {
    private final SearchSettings settings;
    private final SearchSpace space;
    private final long seed;
    private final Objective objective;
    private final Sampler sampler;
    private final Scheduler scheduler;
    private final String idFormat;

    private Search(SearchSettings settings, SearchSpace space, long seed, Objective objective) {
        this.settings = settings;
        this.space = space;
        this.seed = seed;
        this.objective = objective;
        SamplerFactory sf = SearchRegistry.sampler(settings.sampler())
                .orElseThrow(() -> new IllegalArgumentException("unknown sampler '" + settings.sampler() + "'"));
        SchedulerFactory cf = SearchRegistry.scheduler(settings.scheduler())
                .orElseThrow(() -> new IllegalArgumentException("unknown scheduler '" + settings.scheduler() + "'"));
        this.sampler = sf.create(space, settings.samplerOptions(), Seeds.derive(seed, "sampler"), objective);
        this.scheduler = cf.create(settings, cf.sizesItsOwnTrials() ? 0 : trials(settings, space, sf));
        this.idFormat = "t%0" + Math.max(3, String.valueOf(scheduler.maxTrials()).length()) + "d";
    }

    public static Search of(SearchSettings settings, SearchSpace space, long seed, Objective objective) {
        return new Search(settings, space, seed, objective);
    }

    /** The configurations to start: the grid's size, else {@code search.trials}. */
    private static int trials(SearchSettings settings, SearchSpace space, SamplerFactory sampler) {
        var size = sampler.size(space);
        if (size.isPresent()) return (int) Math.min(Integer.MAX_VALUE, size.getAsLong());
        if (settings.trials() == null) {
            throw new IllegalArgumentException("search.trials: required for sampler " + settings.sampler()
                    + " unless search.scheduler sizes its own brackets (hyperband)");
        }
        return settings.trials();
    }

    public SearchSettings settings() { return settings; }

    public SearchSpace space() { return space; }

    public Objective objective() { return objective; }

    public Sampler sampler() { return sampler; }

    public Scheduler scheduler() { return scheduler; }

    public long seed() { return seed; }

    public String trialId(int index) { return String.format(Locale.ROOT, idFormat, index + 1); }

    public long trialSeed(String trialId) { return Seeds.derive(seed, trialId); }

    /** A new empty search state for this search. */
    public SearchState newState() { return new SearchState(objective, settings.earlyStopping()); }

    /** Asks the sampler for the next trial's values and adds its record (RUNNING towards {@code start.target()}). */
    public TrialRecord start(SearchState state, Decision.Start start) {
        int index = state.size();
        Map<String, Object> values = sampler.suggest(index, state);
        String id = trialId(index);
        TrialRecord r = new TrialRecord(id, index, start.bracket(), values, trialSeed(id), start.target());
        state.add(r);
        return r;
    }

    /** A trial as {@code cinelab plan} shows it; {@code values} is null when the search decides them as it runs. */
    public record PlannedTrial(String id, int bracket, long seed, Map<String, Object> values) {}

    /** Every trial the search may start, with the values known before it runs. */
    public List<PlannedTrial> preview() {
        List<PlannedTrial> out = new ArrayList<>();
        List<BracketShape> shapes = scheduler.brackets();
        SearchState empty = newState();
        int bracketIndex = 0, leftInBracket = shapes.isEmpty() ? Integer.MAX_VALUE : shapes.get(0).trials();
        for (int i = 0; i < scheduler.maxTrials(); i++) {
            while (leftInBracket == 0) leftInBracket = shapes.get(++bracketIndex).trials();
            leftInBracket--;
            int bracket = shapes.isEmpty() ? 0 : shapes.get(bracketIndex).s();
            String id = trialId(i);
            out.add(new PlannedTrial(id, bracket, trialSeed(id), sampler.knownInAdvance(i) ? sampler.suggest(i, empty) : null));
        }
        return out;
    }
}
