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

    /** An explicit list of values ({@code [a, b]} or {@code {choice: [a, b]}}). */
    record Choice(List<Object> values) implements Domain {
        public Object sample(Random rng) { return values.get(rng.nextInt(values.size())); }
        public List<Object> gridValues() { return values; }
    }

    /** Uniform real in [low, high]. */
    record Uniform(double low, double high) implements Domain {
        public Object sample(Random rng) { return low + (high - low) * rng.nextDouble(); }
        public List<Object> gridValues() { return null; }
    }

    /** Log-uniform real in [low, high], low > 0. */
    record LogUniform(double low, double high) implements Domain {
        public Object sample(Random rng) {
            return Math.exp(Math.log(low) + (Math.log(high) - Math.log(low)) * rng.nextDouble());
        }
        public List<Object> gridValues() { return null; }
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
        private static Object narrow(long v) {
            return v >= Integer.MIN_VALUE && v <= Integer.MAX_VALUE ? (Object) (int) v : (Object) v;
        }
    }
}
