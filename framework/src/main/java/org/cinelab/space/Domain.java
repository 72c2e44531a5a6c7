package org.cinelab.space;

import java.util.List;
import java.util.Random;

/**
 * The values one hyperparameter may take in a search space. Grid search enumerates
 * {@link Choice} and {@link IntRange}; random search samples every kind.
 */
public sealed interface Domain {

    /** A value drawn from this domain. */
    Object sample(Random rng);

    /** Every value, for grid search; null when the domain is continuous. */
    List<Object> gridValues();

    /** The spec word: choice, uniform, loguniform or int. */
    String kind();

    /** As a spec would write it, for logs and params: {@code loguniform(0.002, 0.02)}, {@code choice(32, 64)}. */
    default String specText() {
        List<Object> args;
        if (this instanceof Choice c) args = c.values();
        else if (this instanceof Uniform u) args = List.of(u.low(), u.high());
        else if (this instanceof LogUniform l) args = List.of(l.low(), l.high());
        else {
            IntRange r = (IntRange) this;
            args = r.step() == 1 ? List.of(r.low(), r.high()) : List.of(r.low(), r.high(), r.step());
        }
        StringBuilder sb = new StringBuilder(kind()).append('(');
        for (int i = 0; i < args.size(); i++) sb.append(i == 0 ? "" : ", ").append(format(args.get(i)));
        return sb.append(')').toString();
    }

    /** A value as a spec writes it: 0.002, 1.0e-05, [256, 128], adam. */
    static String format(Object v) {
        if (v instanceof Double || v instanceof Float) return Double.toString(((Number) v).doubleValue()).replace('E', 'e');
        if (v instanceof List<?> list) {
            StringBuilder sb = new StringBuilder("[");
            for (int i = 0; i < list.size(); i++) sb.append(i == 0 ? "" : ", ").append(format(list.get(i)));
            return sb.append(']').toString();
        }
        return String.valueOf(v);
    }

    /** An explicit list of values ({@code [a, b]} or {@code {choice: [a, b]}}). */
    record Choice(List<Object> values) implements Domain {
        public Object sample(Random rng) { return values.get(rng.nextInt(values.size())); }
        public List<Object> gridValues() { return values; }
        public String kind() { return "choice"; }
    }

    /** Uniform real in [low, high]. */
    record Uniform(double low, double high) implements Domain {
        public Object sample(Random rng) { return low + (high - low) * rng.nextDouble(); }
        public List<Object> gridValues() { return null; }
        public String kind() { return "uniform"; }
    }

    /** Log-uniform real in [low, high], low > 0. */
    record LogUniform(double low, double high) implements Domain {
        public Object sample(Random rng) {
            return Math.exp(Math.log(low) + (Math.log(high) - Math.log(low)) * rng.nextDouble());
        }
        public List<Object> gridValues() { return null; }
        public String kind() { return "loguniform"; }
    }

    /** Integers low, low+step, ..., up to high inclusive. */
    record IntRange(long low, long high, long step) implements Domain {
        public Object sample(Random rng) {
            long n = (high - low) / step + 1;
            return narrow(low + step * (long) rng.nextInt((int) n));
        }
        public List<Object> gridValues() {
            List<Object> out = new java.util.ArrayList<>();
            for (long v = low; v <= high; v += step) out.add(narrow(v));
            return out;
        }
        public String kind() { return "int"; }
        private static Object narrow(long v) {
            return v >= Integer.MIN_VALUE && v <= Integer.MAX_VALUE ? (Object) (int) v : (Object) v;
        }
    }
}
