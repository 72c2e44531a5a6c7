package org.cinelab.spec;

import org.cinelab.data.DatasetProvider;
import org.cinelab.space.HyperParameter;
import org.cinelab.space.SettingConflict;
import org.cinelab.models.ModelFactory;
import org.cinelab.spec.ExperimentSpec.DatasetSpec;
import org.cinelab.spec.ExperimentSpec.ModelSpec;
import org.cinelab.search.Objective;
import org.cinelab.search.Objective.Mode;
import org.cinelab.spec.ExperimentSpec.TrackingSpec;
import org.cinelab.spec.YamlNode.Entry;
import org.cinelab.spec.YamlNode.MapNode;

import java.nio.file.Path;
import java.util.Collections;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * Checks a located YAML tree against the spec schema and the registered models and datasets,
 * recording every problem, and builds the {@link ExperimentSpec} when there are none.
 */
final class SpecValidator {
    static final String ROOT_FIELD = "(root)";
    static final List<String> TOP_KEYS = List.of(
            "experiment", "seed", "dataset", "model", "search", "space", "objective", "tracking", "paper");
    private static final Pattern NAME = Pattern.compile("[A-Za-z0-9._-]+");
    private static final String NAME_RULE = "a name of letters, digits, '.', '_' and '-'";

    private final Map<String, ModelFactory> models;
    private final Map<String, DatasetProvider> datasets;
    private final Problems problems;
    private final NodeReader read;
    private final Set<String> searchedNames = new HashSet<>();

    SpecValidator(Map<String, ModelFactory> models, Map<String, DatasetProvider> datasets, Problems problems) {
        this.models = models;
        this.datasets = datasets;
        this.problems = problems;
        this.read = new NodeReader(problems);
    }

    /** The spec (with resolvedYaml and sha256 still null), or null when any problem was found. */
    ExperimentSpec validate(YamlNode rootNode, Path file) {
        if (rootNode == null) {
            problems.at(1, 1, ROOT_FIELD, "the spec is empty; it needs at least experiment, dataset, model and search");
            return null;
        }
        if (!(rootNode instanceof MapNode root)) {
            problems.at(rootNode, ROOT_FIELD, "expected a map with keys " + String.join(", ", TOP_KEYS)
                    + ", got " + NodeReader.describe(rootNode));
            return null;
        }
        read.rejectUnknownKeys(root, "", TOP_KEYS);
        if (root.get("space") instanceof MapNode space) searchedNames.addAll(space.entries().keySet());

        MapNode experiment = section(root, "experiment", true, List.of("name", "description"));
        String name = experiment == null ? null : experimentName(root.entry("experiment"), experiment);
        String description = experiment == null ? null : optionalString(experiment, "experiment.description");
        long seed = seed(root);

        int problemsBeforeModelAndData = problems.count();
        MapNode datasetNode = section(root, "dataset", true, List.of("name", "split", "options"));
        DatasetProvider provider = null;
        DatasetSpec dataset = null;
        if (datasetNode != null) {
            String datasetName = requiredString(root.entry("dataset"), datasetNode, "dataset.name", "a dataset name");
            provider = datasetName == null ? null : registered(datasets, datasetName, datasetNode.get("name"),
                    "dataset.name", "unknown dataset", "known datasets are");
            dataset = dataset(datasetNode, datasetName, provider);
        }

        MapNode modelNode = section(root, "model", true, List.of("type", "params"));
        ModelFactory model = null;
        Map<String, Entry> fixedEntries = new LinkedHashMap<>();
        ModelSpec modelSpec = null;
        if (modelNode != null) {
            String type = requiredString(root.entry("model"), modelNode, "model.type", "a model type");
            model = type == null ? null : registered(models, type, modelNode.get("type"),
                    "model.type", "unknown model", "known models are");
            modelSpec = modelSpec(modelNode, type, model, fixedEntries);
            if (model != null && provider != null && !model.dataType().isAssignableFrom(provider.dataType())) {
                problems.at(modelNode.get("type"), "model.type", model.type() + " trains on "
                        + model.dataType().getSimpleName() + ", but dataset " + provider.name() + " provides "
                        + provider.dataType().getSimpleName());
            }
        }

        if (model != null && modelSpec != null && dataset != null && problems.count() == problemsBeforeModelAndData) {
            for (SettingConflict c : model.conflicts(modelSpec.params(), dataset.options())) {
                Entry at = deepestEntry(root, c.field());
                if (at != null) problems.at(at, c.field(), c.message());
                else problems.at(root, c.field(), c.message());
            }
        }

        SearchValidator.Result search = new SearchValidator(problems).validate(root, model, fixedEntries);
        Objective objective = objective(root, model);
        TrackingSpec tracking = tracking(root, name);
        Map<String, Object> paper = paper(root);

        if (!problems.isEmpty()) return null;
        return new ExperimentSpec(file, name, description, seed, dataset, modelSpec, search.search(), search.space(),
                objective, tracking, paper, null, null, null);
    }

    /** The entry of {@code field} (dotted), or of its closest given ancestor, e.g. model.params when dec_run is not written. */
    private static Entry deepestEntry(MapNode root, String field) {
        Entry found = null;
        YamlNode node = root;
        for (String key : field.split("\\.")) {
            if (!(node instanceof MapNode map) || map.entry(key) == null) break;
            found = map.entry(key);
            node = found.value();
        }
        return found;
    }

    /** A section map, after reporting its unknown keys; null when absent (reported if required) or not a map. */
    private MapNode section(MapNode root, String key, boolean required, List<String> keys) {
        Entry entry = root.entry(key);
        if (entry == null || NodeReader.isAbsent(entry.value())) {
            if (required) read.missing(entry == null ? root.line() : entry.line(), entry == null ? root.column() : entry.column(), key);
            return null;
        }
        MapNode map = read.optionalMap(entry.value(), key, "a map with keys " + String.join(", ", keys));
        if (map != null) read.rejectUnknownKeys(map, key, keys);
        return map;
    }

    private String requiredString(Entry sectionEntry, MapNode section, String field, String expectation) {
        YamlNode node = section.get(field.substring(field.indexOf('.') + 1));
        if (node == null) {
            read.missing(sectionEntry.line(), sectionEntry.column(), field);
            return null;
        }
        return read.string(node, field, expectation);
    }

    private String optionalString(MapNode section, String field) {
        YamlNode node = section.get(field.substring(field.indexOf('.') + 1));
        return NodeReader.isAbsent(node) ? null : read.string(node, field, "a string");
    }

    private String experimentName(Entry entry, MapNode experiment) {
        String name = requiredString(entry, experiment, "experiment.name", NAME_RULE);
        if (name != null && !NAME.matcher(name).matches()) {
            problems.at(experiment.get("name"), "experiment.name", "expected " + NAME_RULE + ", got '" + name + "'");
            return null;
        }
        return name;
    }

    private long seed(MapNode root) {
        YamlNode node = root.get("seed");
        if (NodeReader.isAbsent(node)) return 0;
        Long seed = read.longInteger(node, "seed", 0, "an integer >= 0");
        return seed == null ? 0 : seed;
    }

    private <T> T registered(Map<String, T> registry, String name, YamlNode node, String field, String unknown, String listIntro) {
        T found = registry.get(name);
        if (found == null) {
            problems.at(node, field, unknown + " '" + name + "'" + DidYouMean.hint(name, registry.keySet(), listIntro));
        }
        return found;
    }

    private DatasetSpec dataset(MapNode node, String name, DatasetProvider provider) {
        String split = null;
        YamlNode splitNode = node.get("split");
        if (!NodeReader.isAbsent(splitNode)) {
            split = read.string(splitNode, "dataset.split", "a split name");
            if (split != null && provider != null && !provider.splits().contains(split)) {
                problems.at(splitNode, "dataset.split", provider.name() + " has no split '" + split + "'"
                        + DidYouMean.hint(split, provider.splits(), "its splits are"));
            }
        } else if (provider != null && !provider.splits().isEmpty()) {
            split = provider.splits().get(0);
        }
        String owner = provider == null ? null : "dataset " + provider.name();
        Map<String, Object> options = settings(node.get("options"), "dataset.options", owner, "option",
                provider == null ? null : provider.options(), new LinkedHashMap<>());
        return new DatasetSpec(name, split, options);
    }

    private ModelSpec modelSpec(MapNode node, String type, ModelFactory model, Map<String, Entry> fixedEntries) {
        Map<String, Object> params = settings(node.get("params"), "model.params", model == null ? null : model.type(),
                "hyperparameter", model == null ? null : model.hyperParameters(), fixedEntries);
        return new ModelSpec(type, params);
    }

    /**
     * A map of declared settings ({@code model.params} or {@code dataset.options}), checked against
     * {@code declared} and completed with the declared defaults in declaration order. With
     * {@code declared} null (unknown model or dataset) only the map's shape is checked.
     */
    private Map<String, Object> settings(YamlNode node, String field, String owner, String noun,
                                         List<HyperParameter> declared, Map<String, Entry> givenEntries) {
        MapNode map = read.optionalMap(node, field, "a map of " + noun + ": value");
        Map<String, Object> given = new LinkedHashMap<>();
        if (map != null) {
            for (Entry e : map.entries().values()) {
                givenEntries.put(e.key(), e);
                if (declared == null) continue;
                HyperParameter hp = declared.stream().filter(h -> h.name().equals(e.key())).findFirst().orElse(null);
                if (hp == null) {
                    List<String> names = declared.stream().map(HyperParameter::name).toList();
                    problems.at(e, field + "." + e.key(), owner + " has no " + noun + " '" + e.key() + "'"
                            + (names.isEmpty() ? "; it takes none" : DidYouMean.hint(e.key(), names, "its " + noun + "s are")));
                    continue;
                }
                Object value = HyperValues.read(hp, e.value(), field + "." + e.key(), problems);
                if (value != null) given.put(e.key(), value);
            }
        }
        Map<String, Object> resolved = new LinkedHashMap<>();
        if (declared != null) {
            for (HyperParameter hp : declared) {
                if (given.containsKey(hp.name())) resolved.put(hp.name(), given.get(hp.name()));
                else if (!isSearched(hp.name(), field)) resolved.put(hp.name(), hp.defaultValue());
            }
        }
        return Collections.unmodifiableMap(resolved);
    }

    private boolean isSearched(String name, String field) {
        return field.equals("model.params") && searchedNames.contains(name);
    }

    private Objective objective(MapNode root, ModelFactory model) {
        MapNode node = section(root, "objective", false, List.of("metric", "mode"));
        YamlNode metricNode = node == null ? null : node.get("metric");
        String metric = null;
        if (!NodeReader.isAbsent(metricNode)) {
            metric = read.string(metricNode, "objective.metric", "a metric name");
            if (metric != null && model != null && !model.metricNames().contains(metric)) {
                problems.at(metricNode, "objective.metric", model.type() + " reports no metric '" + metric + "'"
                        + DidYouMean.hint(metric, model.metricNames(), "its metrics are")
                        + " (always measured on the validation split)");
                metric = null;
            }
        } else if (model != null) {
            metric = model.defaultObjectiveMetric();
        }
        YamlNode modeNode = node == null ? null : node.get("mode");
        Mode mode = null;
        if (!NodeReader.isAbsent(modeNode)) {
            String word = read.oneOf(modeNode, "objective.mode", List.of("min", "max"));
            if (word != null) mode = Mode.valueOf(word.toUpperCase(java.util.Locale.ROOT));
        } else if (metric != null && model != null) {
            mode = model.lowerIsBetter(metric) ? Mode.MIN : Mode.MAX;
        }
        return new Objective(metric, mode);
    }

    private TrackingSpec tracking(MapNode root, String experimentName) {
        MapNode node = section(root, "tracking", false, List.of("uri", "experiment"));
        if (node == null) return new TrackingSpec(null, experimentName);
        String uri = optionalString(node, "tracking.uri");
        String experiment = optionalString(node, "tracking.experiment");
        return new TrackingSpec(uri, experiment == null ? experimentName : experiment);
    }

    @SuppressWarnings("unchecked")
    private Map<String, Object> paper(MapNode root) {
        YamlNode node = root.get("paper");
        MapNode map = read.optionalMap(node, "paper", "a map of published numbers, e.g. {test_rmse: 0.934, source: \"...\"}");
        return map == null ? Map.of() : Collections.unmodifiableMap((Map<String, Object>) YamlNode.toPlain(map));
    }
}
