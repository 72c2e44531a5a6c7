package org.cinelab.spec;

import org.cinelab.space.HyperParameter;
import org.cinelab.space.Domain;
import org.cinelab.spec.YamlNode.Entry;
import org.cinelab.spec.YamlNode.ListNode;
import org.cinelab.spec.YamlNode.MapNode;
import org.cinelab.spec.YamlNode.ScalarNode;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;

/**
 * Reads one {@code space:} entry into a {@link Domain}, checking its shape, its bounds and every
 * value it can produce against the hyperparameter's declaration.
 */
final class SpaceReader {
    static final List<String> KINDS = List.of("choice", "uniform", "loguniform", "int");
    private static final String SHAPES = "a list of values, {choice: [...]}, {uniform: [low, high]}, "
            + "{loguniform: [low, high]} or {int: [low, high]} / {int: [low, high, step]}";

    private final Problems problems;

    SpaceReader(Problems problems) { this.problems = problems; }

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
        if (map.entries().size() != 1) {
            problems.at(map, field, "a domain has exactly one of " + String.join(", ", KINDS)
                    + ", got " + (map.entries().isEmpty() ? "none" : String.join(", ", map.entries().keySet())));
            return null;
        }
        Entry kind = map.entries().values().iterator().next();
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

    static boolean isDiscrete(Domain d) { return d.gridValues() != null; }

    static String kindName(Domain d) {
        if (d instanceof Domain.Choice) return "choice";
        if (d instanceof Domain.Uniform) return "uniform";
        if (d instanceof Domain.LogUniform) return "loguniform";
        return "int";
    }
}
