package org.cinelab.spec;

import org.cinelab.models.ModelFactory;
import org.cinelab.search.EarlyStopping;
import org.cinelab.search.SamplerFactory;
import org.cinelab.search.SchedulerFactory;
import org.cinelab.search.SearchProblem;
import org.cinelab.search.SearchRegistry;
import org.cinelab.search.SearchSettings;
import org.cinelab.space.HyperParameter;
import org.cinelab.space.SearchSpace;
import org.cinelab.spec.YamlNode.Entry;
import org.cinelab.spec.YamlNode.MapNode;
import org.cinelab.spec.YamlNode.ScalarNode;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Validates {@code search:} and {@code space:} together, because each decides what the other may
 * say: the space's domains choose the default sampler, the sampler and scheduler decide whether
 * continuous domains and {@code trials} are allowed. Samplers and schedulers come from the
 * {@link SearchRegistry}: each declares its options (checked here like a model's hyperparameters)
 * and objects to what it cannot run ({@link SamplerFactory#check}), located here in the file.
 */
final class SearchValidator {
    static final List<String> SEARCH_KEYS = List.of("sampler", "trials", "scheduler", "max_epochs", "eta", "min_epochs",
            "early_stopping", "refit");
    static final List<String> EARLY_STOPPING_KEYS = List.of("patience", "min_delta");
    static final int DEFAULT_ETA = 3;
    static final int DEFAULT_MIN_EPOCHS = 1;

    private final Problems problems;
    private final NodeReader read;

    /** The validated sections; {@code search} is null when any problem was found in them. */
    record Result(SearchSettings search, SearchSpace space) {}

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
        SpaceReader.Read space = new SpaceReader(problems).readSpace(root.entry("space"), model, fixedParams);
        SearchSettings search = search(root, space);
        return new Result(problems.count() == before ? search : null, space.space());
    }

    private SearchSettings search(MapNode root, SpaceReader.Read space) {
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

        int beforeEngine = problems.count();
        Named<SamplerFactory> sampler = named(search, "sampler", SearchRegistry.samplers(),
                space.anyContinuous() ? "random" : "grid");
        Named<SchedulerFactory> scheduler = named(search, "scheduler", SearchRegistry.schedulers(), "none");
        boolean engineValid = problems.count() == beforeEngine;

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
        Integer trials = engineValid ? trials(searchEntry, search, sampler, scheduler, space) : null;
        EarlyStopping earlyStopping = earlyStopping(search);
        YamlNode refitNode = search.get("refit");
        Boolean refit = NodeReader.isAbsent(refitNode) ? Boolean.FALSE : read.bool(refitNode, "search.refit");
        if (!engineValid || maxEpochs == null || eta == null || minEpochs == null || refit == null) return null;
        SearchSettings settings = new SearchSettings(sampler.factory.name(), sampler.options, trials,
                scheduler.factory.name(), scheduler.options, maxEpochs, eta, minEpochs, earlyStopping, refit);
        if (space.complete()) {
            List<SearchProblem> objections = new ArrayList<>(sampler.factory.check(space.space(), settings));
            objections.addAll(scheduler.factory.check(settings));
            for (SearchProblem p : objections) locate(root, space, p);
        }
        return settings;
    }

    /** A sampler or scheduler as named by the spec, with its options (defaults filled in). */
    private record Named<F>(F factory, Map<String, Object> options) {}

    /**
     * {@code key: name} or {@code key: {type: name, option: value, ...}}, looked up in the registry;
     * null after reporting an unknown name or a bad option.
     */
    private <F> Named<F> named(MapNode search, String key, Map<String, F> registry, String fallback) {
        String field = "search." + key;
        YamlNode node = search.get(key);
        MapNode optionsNode = null;
        YamlNode nameNode = node;
        if (node instanceof MapNode map) {
            read.rejectUnknownKeys(map, field, keysOf(map, registry));
            nameNode = map.get("type");
            if (NodeReader.isAbsent(nameNode)) {
                problems.at(map, field + ".type", "required key missing: which " + key + " (one of "
                        + String.join(", ", registry.keySet()) + ")");
                return null;
            }
            optionsNode = map;
        }
        String name;
        if (NodeReader.isAbsent(nameNode)) {
            name = fallback;
        } else {
            name = read.string(nameNode, optionsNode == null ? field : field + ".type", "a " + key + " name");
            if (name == null) return null;
        }
        F factory = registry.get(SearchRegistry.canonical(name));
        if (factory == null) {
            problems.at(nameNode, optionsNode == null ? field : field + ".type", "unknown " + key + " '" + name + "'"
                    + DidYouMean.hint(name, registry.keySet(), "valid " + key + "s are"));
            return null;
        }
        List<HyperParameter> declared = factory instanceof SamplerFactory s ? s.options() : ((SchedulerFactory) factory).options();
        Map<String, Object> options = new LinkedHashMap<>();
        int before = problems.count();
        if (optionsNode != null) {
            for (Entry e : optionsNode.entries().values()) {
                if (e.key().equals("type")) continue;
                Optional<HyperParameter> hp = declared.stream().filter(h -> h.name().equals(e.key())).findFirst();
                if (hp.isEmpty()) continue;  // reported by rejectUnknownKeys
                Object v = HyperValues.read(hp.get(), e.value(), field + "." + e.key(), problems);
                if (v != null) options.put(e.key(), v);
            }
        }
        for (HyperParameter hp : declared) options.putIfAbsent(hp.name(), hp.defaultValue());
        return problems.count() == before ? new Named<>(factory, options) : null;
    }

    private static <F> List<String> keysOf(MapNode map, Map<String, F> registry) {
        List<String> keys = new ArrayList<>(List.of("type"));
        YamlNode type = map.get("type");
        if (type instanceof ScalarNode s && s.value() instanceof String name) {
            F f = registry.get(SearchRegistry.canonical(name));
            if (f != null) {
                List<HyperParameter> declared = f instanceof SamplerFactory sf ? sf.options() : ((SchedulerFactory) f).options();
                declared.forEach(h -> keys.add(h.name()));
            }
        }
        return keys;
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

    private Integer trials(Entry searchEntry, MapNode search, Named<SamplerFactory> sampler, Named<SchedulerFactory> scheduler,
                           SpaceReader.Read space) {
        YamlNode node = search.get("trials");
        boolean fixedSet = sampler.factory.enumerates();
        String samplerName = sampler.factory.name();
        if (fixedSet && scheduler.factory.drawsWithoutEnd()) {
            YamlNode at = search.get("scheduler");
            problems.at(at == null ? searchEntry.value() : at, "search.scheduler", "scheduler " + scheduler.factory.name()
                    + " keeps drawing new configurations while results come in, but sampler " + samplerName
                    + " enumerates a fixed set; use scheduler successive-halving for a grid, or sampler random, tpe"
                    + " or sobol with " + scheduler.factory.name());
            return null;
        }
        if (NodeReader.isAbsent(node)) {
            if (!fixedSet && !scheduler.factory.sizesItsOwnTrials()) {
                problems.at(searchEntry, "search.trials", "required key missing: sampler " + samplerName + " needs the number "
                        + "of trials to draw (only scheduler hyperband derives it)");
            }
            return null;
        }
        if (fixedSet) {
            problems.at(node, "search.trials", "not allowed with sampler " + samplerName
                    + (search.get("sampler") == null ? " (the default when every domain is discrete)" : "")
                    + ": the grid" + size(sampler.factory, space) + " sets the number of trials; "
                    + "set search.sampler: random to draw trials at random");
            return null;
        }
        if (scheduler.factory.sizesItsOwnTrials()) {
            problems.at(node, "search.trials", "not allowed with scheduler " + scheduler.factory.name()
                    + ": its brackets derive the number of trials from max_epochs, eta and min_epochs");
            return null;
        }
        return read.integer(node, "search.trials", 1, Integer.MAX_VALUE, "an integer >= 1");
    }

    private static String size(SamplerFactory sampler, SpaceReader.Read space) {
        if (!space.complete()) return "'s size";
        var n = sampler.size(space.space());
        return n.isPresent() ? " size (" + n.getAsLong() + ")" : "'s size";
    }

    /** Reports a sampler's or scheduler's objection at the spec node its field names (or the nearest enclosing one). */
    private void locate(MapNode root, SpaceReader.Read space, SearchProblem p) {
        String[] path = p.field().split("\\.");
        YamlNode node = root;
        Entry lastEntry = null;
        for (String part : path) {
            if (!(node instanceof MapNode map) || map.entry(part) == null) break;
            lastEntry = map.entry(part);
            node = lastEntry.value();
        }
        if (lastEntry == null) problems.at(root, p.field(), p.message());
        else if (NodeReader.isAbsent(node)) problems.at(lastEntry, p.field(), p.message());
        else problems.at(node, p.field(), p.message());
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
