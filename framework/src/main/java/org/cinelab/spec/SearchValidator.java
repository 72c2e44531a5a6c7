package org.cinelab.spec;

import org.cinelab.space.HyperParameter;
import org.cinelab.models.ModelFactory;
import org.cinelab.space.Domain;
import org.cinelab.spec.ExperimentSpec.EarlyStopping;
import org.cinelab.spec.ExperimentSpec.Sampler;
import org.cinelab.spec.ExperimentSpec.Scheduler;
import org.cinelab.spec.ExperimentSpec.SearchSpec;
import org.cinelab.spec.YamlNode.Entry;
import org.cinelab.spec.YamlNode.MapNode;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;

/**
 * Validates {@code search:} and {@code space:} together, because each decides what the other may
 * say: the space's domains choose the default sampler, the sampler decides whether continuous
 * domains and {@code trials} are allowed.
 */
final class SearchValidator {
    static final List<String> SEARCH_KEYS = List.of("sampler", "trials", "scheduler", "max_epochs", "eta", "min_epochs",
            "early_stopping", "refit");
    static final List<String> EARLY_STOPPING_KEYS = List.of("patience", "min_delta");
    static final int DEFAULT_ETA = 3;
    static final int DEFAULT_MIN_EPOCHS = 1;

    private final Problems problems;
    private final NodeReader read;
    /** Whether the space writes any uniform/loguniform domain, valid or not; decides the default sampler. */
    private boolean anyContinuous;
    /** Whether every space entry became a domain, so that the grid size can be told. */
    private boolean spaceComplete = true;

    /** The validated sections; {@code search} is null when any problem was found in them. */
    record Result(SearchSpec search, Map<String, Domain> space) {}

    SearchValidator(Problems problems) {
        this.problems = problems;
        this.read = new NodeReader(problems);
    }

    /**
     * @param model       the model, or null when {@code model.type} is unknown (then only shapes are checked)
     * @param fixedParams the {@code model.params} entries, to reject names that are both fixed and searched
     */
    Result validate(MapNode root, ModelFactory model, Map<String, Entry> fixedParams) {
        int before = problems.count();
        Map<String, Entry> domainEntries = new LinkedHashMap<>();
        Map<String, Domain> space = space(root.entry("space"), model, fixedParams, domainEntries);
        SearchSpec search = search(root, space, domainEntries);
        return new Result(problems.count() == before ? search : null, Collections.unmodifiableMap(space));
    }

    private Map<String, Domain> space(Entry spaceEntry, ModelFactory model, Map<String, Entry> fixedParams,
                                      Map<String, Entry> domainEntries) {
        TreeMap<String, Domain> sorted = new TreeMap<>();
        MapNode space = spaceEntry == null ? null
                : read.optionalMap(spaceEntry.value(), "space", "a map of hyperparameter: domain");
        if (space == null) return new LinkedHashMap<>();
        SpaceReader domains = new SpaceReader(problems);
        for (Entry e : space.entries().values()) {
            String field = "space." + e.key();
            if (e.value() instanceof MapNode m && (m.entries().containsKey("uniform") || m.entries().containsKey("loguniform"))) {
                anyContinuous = true;
            }
            HyperParameter hp = null;
            if (model != null) {
                Optional<HyperParameter> declared = find(model, e.key());
                if (declared.isEmpty()) {
                    problems.at(e, field, RetiredSettings.message(e.key()).orElseGet(() -> model.type() + " has no hyperparameter '"
                            + e.key() + "'" + DidYouMean.hint(e.key(), names(model), "its hyperparameters are")));
                    continue;
                }
                hp = declared.get();
            }
            Entry fixed = fixedParams.get(e.key());
            if (fixed != null) {
                problems.at(e, field, "also fixed in model.params (line " + fixed.line()
                        + "); a hyperparameter is either fixed or searched, not both");
                continue;
            }
            Domain d = domains.read(e, field, hp);
            if (d != null) {
                sorted.put(e.key(), d);
                domainEntries.put(e.key(), e);
            }
        }
        spaceComplete = sorted.size() == space.entries().size();
        return new LinkedHashMap<>(sorted);
    }

    private SearchSpec search(MapNode root, Map<String, Domain> space, Map<String, Entry> domainEntries) {
        Entry searchEntry = root.entry("search");
        if (searchEntry == null || NodeReader.isAbsent(searchEntry.value())) {
            int line = searchEntry == null ? root.line() : searchEntry.line();
            int column = searchEntry == null ? root.column() : searchEntry.column();
            problems.at(line, column, "search.max_epochs",
                    "required key missing (the epoch budget of a fully trained trial)");
            return null;
        }
        MapNode search = read.optionalMap(searchEntry.value(), "search", "a map with keys " + String.join(", ", SEARCH_KEYS));
        if (search == null) return null;
        read.rejectUnknownKeys(search, "search", SEARCH_KEYS);

        int beforeWords = problems.count();
        Sampler explicitSampler = word(search, "sampler", Sampler.class, null);
        Sampler sampler = explicitSampler != null ? explicitSampler : anyContinuous ? Sampler.RANDOM : Sampler.GRID;
        Scheduler scheduler = word(search, "scheduler", Scheduler.class, Scheduler.NONE);
        boolean wordsValid = problems.count() == beforeWords;
        if (explicitSampler == Sampler.GRID) rejectContinuous(space, domainEntries);

        Integer maxEpochs = null;
        YamlNode max = search.get("max_epochs");
        if (max == null) {
            read.missing(searchEntry.line(), searchEntry.column(), "search.max_epochs");
        } else {
            maxEpochs = read.integer(max, "search.max_epochs", 1, Integer.MAX_VALUE, "an integer >= 1");
        }
        Integer eta = optionalInt(search, "eta", 2, DEFAULT_ETA, "an integer >= 2");
        Integer minEpochs = optionalInt(search, "min_epochs", 1, DEFAULT_MIN_EPOCHS, "an integer >= 1");
        if (minEpochs != null && maxEpochs != null && minEpochs > maxEpochs) {
            problems.at(search.get("min_epochs"), "search.min_epochs",
                    "expected an integer >= 1 and <= max_epochs (" + maxEpochs + "), got " + minEpochs);
            minEpochs = null;
        }
        Integer trials = wordsValid ? trials(searchEntry, search, sampler, explicitSampler == null, scheduler, space) : null;
        EarlyStopping earlyStopping = earlyStopping(search);
        YamlNode refitNode = search.get("refit");
        Boolean refit = NodeReader.isAbsent(refitNode) ? Boolean.FALSE : read.bool(refitNode, "search.refit");
        if (maxEpochs == null || eta == null || minEpochs == null || refit == null) return null;
        return new SearchSpec(sampler, trials, scheduler, maxEpochs, eta, minEpochs, earlyStopping, refit);
    }

    /** {@code early_stopping: {patience, min_delta}}; null when absent (or invalid, after reporting why). */
    private EarlyStopping earlyStopping(MapNode search) {
        Entry entry = search.entry("early_stopping");
        if (entry == null) return null;
        MapNode es = read.optionalMap(entry.value(), "search.early_stopping",
                "a map with keys " + String.join(", ", EARLY_STOPPING_KEYS));
        if (es == null) return null;
        read.rejectUnknownKeys(es, "search.early_stopping", EARLY_STOPPING_KEYS);
        Integer patience = null;
        YamlNode p = es.get("patience");
        if (NodeReader.isAbsent(p)) {
            problems.at(entry, "search.early_stopping.patience",
                    "required key missing (epochs without improvement before a trial stops)");
        } else {
            patience = read.integer(p, "search.early_stopping.patience", 1, Integer.MAX_VALUE, "an integer >= 1");
        }
        YamlNode d = es.get("min_delta");
        Double minDelta = NodeReader.isAbsent(d) ? Double.valueOf(0.0)
                : read.number(d, "search.early_stopping.min_delta", 0, "a number >= 0");
        return patience == null || minDelta == null ? null : new EarlyStopping(patience, minDelta);
    }

    private void rejectContinuous(Map<String, Domain> space, Map<String, Entry> domainEntries) {
        space.forEach((name, domain) -> {
            if (!SpaceReader.isDiscrete(domain)) {
                problems.at(domainEntries.get(name).value(), "space." + name,
                        "sampler grid needs discrete domains (a list, choice or int), but " + name + " is "
                        + SpaceReader.kindName(domain) + "; set search.sampler: random");
            }
        });
    }

    private Integer trials(Entry searchEntry, MapNode search, Sampler sampler, boolean samplerDefaulted,
                           Scheduler scheduler, Map<String, Domain> space) {
        YamlNode node = search.get("trials");
        if (NodeReader.isAbsent(node)) {
            if (sampler == Sampler.RANDOM && scheduler != Scheduler.HYPERBAND) {
                problems.at(searchEntry, "search.trials", "required key missing: sampler random needs the number "
                        + "of trials to draw (only scheduler hyperband derives it)");
            }
            return null;
        }
        if (sampler == Sampler.GRID) {
            problems.at(node, "search.trials", "not allowed with sampler grid"
                    + (samplerDefaulted ? " (the default when every domain is discrete)" : "")
                    + ": the grid" + (spaceComplete ? " size (" + gridSize(space) + ")" : "'s size") + " sets the number of trials; "
                    + "set search.sampler: random to draw trials at random");
            return null;
        }
        if (scheduler == Scheduler.HYPERBAND) {
            problems.at(node, "search.trials", "not allowed with scheduler hyperband: its brackets derive the "
                    + "number of trials from max_epochs, eta and min_epochs");
            return null;
        }
        return read.integer(node, "search.trials", 1, Integer.MAX_VALUE, "an integer >= 1");
    }

    private static long gridSize(Map<String, Domain> space) {
        long n = 1;
        for (Domain d : space.values()) {
            List<Object> values = d.gridValues();
            if (values == null) continue;
            n = n > Long.MAX_VALUE / Math.max(1, values.size()) ? Long.MAX_VALUE : n * values.size();
        }
        return n;
    }

    private <E extends Enum<E>> E word(MapNode search, String key, Class<E> type, E fallback) {
        YamlNode node = search.get(key);
        if (NodeReader.isAbsent(node)) return fallback;
        String w = read.oneOf(node, "search." + key, SpecNames.all(type));
        return w == null ? fallback : SpecNames.parse(type, w);
    }

    private Integer optionalInt(MapNode search, String key, long min, int fallback, String expectation) {
        YamlNode node = search.get(key);
        if (NodeReader.isAbsent(node)) return fallback;
        return read.integer(node, "search." + key, min, Integer.MAX_VALUE, expectation);
    }

    static Optional<HyperParameter> find(ModelFactory model, String name) {
        return model.hyperParameters().stream().filter(h -> h.name().equals(name)).findFirst();
    }

    static List<String> names(ModelFactory model) {
        return model.hyperParameters().stream().map(HyperParameter::name).toList();
    }
}
