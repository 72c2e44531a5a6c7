package org.cinelab.spec;

import org.cinelab.space.HyperParameter;
import org.cinelab.spec.YamlNode.ScalarNode;

/**
 * Checks a YAML value against a declared {@link HyperParameter} and converts it to the declared
 * Java type: Integer for INT, Double for DOUBLE (integers are accepted), String, Boolean.
 */
final class HyperValues {
    private HyperValues() {}

    /** The value in its declared Java type, or null after recording why it does not fit. */
    static Object read(HyperParameter hp, YamlNode node, String field, Problems problems) {
        return read(hp, node, field, "", problems);
    }

    /** As {@link #read(HyperParameter, YamlNode, String, Problems)}, with {@code prefix} (e.g. "low: ") before the message. */
    static Object read(HyperParameter hp, YamlNode node, String field, String prefix, Problems problems) {
        Object raw = node instanceof ScalarNode s ? s.value()
                : hp.type() == HyperParameter.Type.INT_LIST && node instanceof YamlNode.ListNode l ? YamlNode.toPlain(l) : null;
        raw = hp.normalise(raw);
        String expected = hp.check(raw);
        if (expected == null) expected = extraCheck(hp, raw);
        if (expected != null) {
            String hint = hp.type() == HyperParameter.Type.STRING && raw instanceof String s && !hp.allowed().isEmpty()
                    ? DidYouMean.closest(s, hp.allowed()).map(c -> "; did you mean '" + c + "'?").orElse("") : "";
            problems.at(node, field, prefix + "expected " + expected + ", got " + NodeReader.describe(node) + hint);
            return null;
        }
        return switch (hp.type()) {
            case INT -> ((Number) raw).intValue();
            case DOUBLE -> ((Number) raw).doubleValue();
            case STRING, BOOLEAN, INT_LIST -> raw;
        };
    }

    /** What {@link HyperParameter#check} leaves open: INT values beyond 32 bits, infinite DOUBLEs. */
    private static String extraCheck(HyperParameter hp, Object raw) {
        if (hp.type() == HyperParameter.Type.INT) {
            long v = ((Number) raw).longValue();
            if (v < Integer.MIN_VALUE || v > Integer.MAX_VALUE) return "an integer that fits in 32 bits";
        }
        if (hp.type() == HyperParameter.Type.DOUBLE && Double.isInfinite(((Number) raw).doubleValue())) {
            return "a finite number";
        }
        return null;
    }

    /** "an integer in [1, 4096]": what a value of {@code hp} must be, for messages. */
    static String expectation(HyperParameter hp) { return hp.check(null); }
}
