package org.cinelab.spec;

import org.cinelab.models.ModelFactory;
import org.cinelab.space.Domain;
import org.cinelab.space.HyperParameter;
import org.cinelab.space.SearchSpace;
import org.cinelab.spec.YamlNode.Entry;
import org.cinelab.spec.YamlNode.ListNode;
import org.cinelab.spec.YamlNode.MapNode;
import org.cinelab.spec.YamlNode.ScalarNode;

import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;

/**
 * Reads the {@code space:} section into a {@link SearchSpace}: each entry's {@link Domain}, its
 * shape, bounds and every value it can produce checked against the hyperparameter's declaration,
 * and its optional {@code when:} condition checked against the space (the parent exists, is
 * discrete, can take the values named, and no conditions form a cycle).
 */
final class SpaceReader {
    static final List<String> KINDS = List.of("choice", "uniform", "loguniform", "int");
    private static final String SHAPES = "a list of values, {choice: [...]}, {uniform: [low, high]}, "
            + "{loguniform: [low, high]} or {int: [low, high]} / {int: [low, high, step]}, each optionally with "
            + "when: {parameter: value}";

    private final Problems problems;

    SpaceReader(Problems problems) { this.problems = problems; }

    /**
     * The space as read; {@code anyContinuous} says whether any entry writes a uniform or loguniform
     * domain (valid or not: it decides the default sampler), {@code complete} whether every entry
     * became a parameter.
     */
    record Read(SearchSpace space, boolean anyContinuous, boolean complete) {}

    Read readSpace(Entry spaceEntry, ModelFactory model, Map<String, Entry> fixedParams) {
        NodeReader read = new NodeReader(problems);
        MapNode spaceNode = spaceEntry == null ? null
                : read.optionalMap(spaceEntry.value(), "space", "a map of hyperparameter: domain");
        if (spaceNode == null) return new Read(SearchSpace.empty(), false, spaceEntry == null || NodeReader.isAbsent(spaceEntry.value()));
        boolean anyContinuous = false;
        Map<String, Domain> domains = new TreeMap<>();
        Map<String, Entry> whenEntries = new LinkedHashMap<>();
        Map<String, HyperParameter> declared = new LinkedHashMap<>();
        int entries = spaceNode.entries().size();
        for (Entry e : spaceNode.entries().values()) {
            String field = "space." + e.key();
            if (e.value() instanceof MapNode m && (m.entries().containsKey("uniform") || m.entries().containsKey("loguniform"))) {
                anyContinuous = true;
            }
            HyperParameter hp = null;
            if (model != null) {
                Optional<HyperParameter> found = SearchValidator.find(model, e.key());
                if (found.isEmpty()) {
                    problems.at(e, field, RetiredSettings.message(e.key()).orElseGet(() -> model.type() + " has no hyperparameter '"
                            + e.key() + "'" + DidYouMean.hint(e.key(), SearchValidator.names(model), "its hyperparameters are")));
                    continue;
                }
                hp = found.get();
            }
            Entry fixed = fixedParams.get(e.key());
            if (fixed != null) {
                problems.at(e, field, "also fixed in model.params (line " + fixed.line()
                        + "); a hyperparameter is either fixed or searched, not both");
                continue;
            }
            Entry when = e.value() instanceof MapNode m ? m.entry("when") : null;
            Domain d = read(e, field, hp);
            if (d != null) {
                domains.put(e.key(), d);
                declared.put(e.key(), hp);
                if (when != null) whenEntries.put(e.key(), when);
            }
        }
        Map<String, SearchSpace.Param> params = new TreeMap<>();
        boolean conditionsValid = true;
        for (Map.Entry<String, Domain> d : domains.entrySet()) {
            Entry when = whenEntries.get(d.getKey());
            SearchSpace.Condition c = when == null ? null : condition(d.getKey(), when, domains, declared);
            if (when != null && c == null) conditionsValid = false;
            params.put(d.getKey(), new SearchSpace.Param(d.getKey(), d.getValue(), c));
        }
        SearchSpace space = new SearchSpace(params);
        if (conditionsValid && !cycleFree(space, whenEntries)) conditionsValid = false;
        return new Read(space, anyContinuous, conditionsValid && domains.size() == entries);
    }

    /** {@code when: {parent: value}} or {@code {parent: [v1, v2]}}; null after reporting why it cannot hold. */
    private SearchSpace.Condition condition(String name, Entry when, Map<String, Domain> domains,
                                            Map<String, HyperParameter> declared) {
        String field = "space." + name + ".when";
        if (!(when.value() instanceof MapNode m) || m.entries().size() != 1) {
            problems.at(NodeReader.isAbsent(when.value()) ? when.line() : when.value().line(),
                    NodeReader.isAbsent(when.value()) ? when.column() : when.value().column(), field,
                    "expected one {parameter: value} or {parameter: [values]} naming another searched hyperparameter, got "
                            + NodeReader.describe(when.value()));
            return null;
        }
        Entry cond = m.entries().values().iterator().next();
        String parent = cond.key();
        if (parent.equals(name)) {
            problems.at(cond, field, name + " cannot depend on itself");
            return null;
        }
        Domain parentDomain = domains.get(parent);
        if (parentDomain == null) {
            problems.at(cond, field, "no searched hyperparameter '" + parent + "' to depend on"
                    + DidYouMean.hint(parent, domains.keySet(), "the searched ones are"));
            return null;
        }
        List<Object> possible = parentDomain.gridValues();
        if (possible == null) {
            problems.at(cond, field, name + " can only depend on a discrete hyperparameter (a list, choice or int), but "
                    + parent + " is " + parentDomain.kind());
            return null;
        }
        List<YamlNode> items = cond.value() instanceof ListNode l ? l.items() : List.of(cond.value());
        if (items.isEmpty()) {
            problems.at(cond.value(), field, "expected a value of " + parent + " or a list of them, got an empty list");
            return null;
        }
        List<Object> values = new ArrayList<>();
        HyperParameter parentHp = declared.get(parent);
        for (YamlNode item : items) {
            Object v = parentHp == null ? YamlNode.toPlain(item) : HyperValues.read(parentHp, item, field + "." + parent, problems);
            if (v == null) return null;
            if (!possible.contains(v)) {
                problems.at(item, field + "." + parent, "impossible condition: " + parent + " never takes "
                        + NodeReader.describe(item) + "; its values are " + possible.stream().map(Domain::format).toList());
                return null;
            }
            values.add(v);
        }
        return new SearchSpace.Condition(parent, values);
    }

    private boolean cycleFree(SearchSpace space, Map<String, Entry> whenEntries) {
        try {
            space.topologicalOrder();
            return true;
        } catch (IllegalStateException e) {
            Entry first = whenEntries.values().iterator().next();
            problems.at(first, "space", "the when: conditions form a cycle (" + String.join(" -> ", whenEntries.keySet())
                    + "); a parameter cannot depend on one that depends on it");
            return false;
        }
    }

    /**
     * The domain, or null after recording problems. With {@code hp} null (the model is unknown)
     * only the shape is checked.
     */
    Domain read(Entry entry, String field, HyperParameter hp) {
        YamlNode node = entry.value();
        if (node instanceof ListNode list) return choice(list, field, hp);
        if (!(node instanceof MapNode map)) {
            problems.at(NodeReader.isAbsent(node) ? entry.line() : node.line(),
                    NodeReader.isAbsent(node) ? entry.column() : node.column(), field,
                    "expected " + SHAPES + ", got " + NodeReader.describe(node) + "; a fixed value belongs in model.params");
            return null;
        }
        List<Entry> kinds = map.entries().values().stream().filter(k -> !k.key().equals("when")).toList();
        if (kinds.size() != 1) {
            problems.at(map, field, "a domain has exactly one of " + String.join(", ", KINDS)
                    + " (and optionally when), got " + (kinds.isEmpty() ? "none" : String.join(", ", kinds.stream().map(Entry::key).toList())));
            return null;
        }
        Entry kind = kinds.get(0);
        String kindField = field + "." + kind.key();
        return switch (kind.key()) {
            case "choice" -> kind.value() instanceof ListNode list ? choice(list, kindField, hp)
                    : wrongShape(kind, kindField, "a list of values");
            case "uniform" -> uniform(kind, kindField, hp, false);
            case "loguniform" -> uniform(kind, kindField, hp, true);
            case "int" -> intRange(kind, kindField, hp);
            default -> {
                problems.at(kind, kindField, "unknown domain" + DidYouMean.hint(kind.key(), KINDS, "valid domains are"));
                yield null;
            }
        };
    }

    private Domain choice(ListNode list, String field, HyperParameter hp) {
        if (list.items().isEmpty()) {
            problems.at(list, field, "a choice needs at least one value");
            return null;
        }
        List<Object> values = new ArrayList<>();
        boolean ok = true;
        for (YamlNode item : list.items()) {
            Object v = hp == null ? YamlNode.toPlain(item) : HyperValues.read(hp, item, field, problems);
            if (v == null) {
                ok = false;
            } else if (values.contains(v)) {
                problems.at(item, field, NodeReader.describe(item) + " is listed twice");
                ok = false;
            } else {
                values.add(v);
            }
        }
        return ok && hp != null ? new Domain.Choice(Collections.unmodifiableList(values)) : null;
    }

    private Domain uniform(Entry kind, String field, HyperParameter hp, boolean log) {
        if (hp != null && hp.type() != HyperParameter.Type.DOUBLE) {
            problems.at(kind, field, kind.key() + " needs a DOUBLE hyperparameter, but " + hp.name() + " is "
                    + hp.type() + "; use " + (hp.type() == HyperParameter.Type.INT ? "{int: [low, high]} or " : "")
                    + "a list of values");
            return null;
        }
        List<YamlNode> bounds = bounds(kind, field, 2, 2, "[low, high]");
        if (bounds == null) return null;
        Double low = bound(bounds.get(0), field, "low", hp);
        Double high = bound(bounds.get(1), field, "high", hp);
        if (low == null || high == null) return null;
        if (log && low <= 0) {
            problems.at(bounds.get(0), field, "low must be > 0 on a log scale, got " + NodeReader.describe(bounds.get(0)));
            return null;
        }
        if (low >= high) {
            problems.at(kind.value(), field, "low must be < high, got [" + NodeReader.describe(bounds.get(0))
                    + ", " + NodeReader.describe(bounds.get(1)) + "]");
            return null;
        }
        if (hp == null) return null;
        return log ? new Domain.LogUniform(low, high) : new Domain.Uniform(low, high);
    }

    private Domain intRange(Entry kind, String field, HyperParameter hp) {
        if (hp != null && hp.type() != HyperParameter.Type.INT) {
            problems.at(kind, field, "int needs an INT hyperparameter, but " + hp.name() + " is " + hp.type()
                    + "; use " + (hp.type() == HyperParameter.Type.DOUBLE ? "{uniform: [low, high]}, {loguniform: [low, high]} or " : "")
                    + "a list of values");
            return null;
        }
        List<YamlNode> bounds = bounds(kind, field, 2, 3, "[low, high] or [low, high, step]");
        if (bounds == null) return null;
        Integer low = intBound(bounds.get(0), field, "low", hp);
        Integer high = intBound(bounds.get(1), field, "high", hp);
        Integer step = 1;
        if (bounds.size() == 3) {
            YamlNode s = bounds.get(2);
            step = s instanceof ScalarNode sc && sc.value() instanceof Long v && v >= 1 && v <= Integer.MAX_VALUE ? v.intValue() : null;
            if (step == null) problems.at(s, field, "step: expected an integer >= 1, got " + NodeReader.describe(s));
        }
        if (low == null || high == null || step == null) return null;
        if (low > high) {
            problems.at(kind.value(), field, "low must be <= high, got [" + low + ", " + high + "]");
            return null;
        }
        return hp == null ? null : new Domain.IntRange(low, high, step);
    }

    private List<YamlNode> bounds(Entry kind, String field, int min, int max, String shape) {
        if (kind.value() instanceof ListNode list && list.items().size() >= min && list.items().size() <= max) {
            return list.items();
        }
        wrongShape(kind, field, shape);
        return null;
    }

    private Domain wrongShape(Entry kind, String field, String shape) {
        YamlNode v = kind.value();
        boolean absent = NodeReader.isAbsent(v);
        String got = v instanceof ListNode l ? "a list of " + l.items().size() : NodeReader.describe(v);
        problems.at(absent ? kind.line() : v.line(), absent ? kind.column() : v.column(), field,
                "expected " + shape + ", got " + got);
        return null;
    }

    private Double bound(YamlNode node, String field, String which, HyperParameter hp) {
        if (hp != null) {
            Object v = HyperValues.read(hp, node, field, which + ": ", problems);
            return v == null ? null : (Double) v;
        }
        if (node instanceof ScalarNode s && s.value() instanceof Number n && Double.isFinite(n.doubleValue())) {
            return n.doubleValue();
        }
        problems.at(node, field, which + ": expected a number, got " + NodeReader.describe(node));
        return null;
    }

    private Integer intBound(YamlNode node, String field, String which, HyperParameter hp) {
        if (hp != null) return (Integer) HyperValues.read(hp, node, field, which + ": ", problems);
        if (node instanceof ScalarNode s && s.value() instanceof Long v && v >= Integer.MIN_VALUE && v <= Integer.MAX_VALUE) {
            return v.intValue();
        }
        problems.at(node, field, which + ": expected an integer, got " + NodeReader.describe(node));
        return null;
    }
}
