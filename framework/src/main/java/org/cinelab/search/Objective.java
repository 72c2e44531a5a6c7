package org.cinelab.search;

import java.util.Comparator;
import java.util.Locale;
import java.util.function.Function;
import java.util.function.ToDoubleFunction;

/**
 * What a search optimises: a validation metric and its direction. The one place where "is this
 * better?" is decided, for promotion, early stopping, samplers, progress, the summary and reports:
 * NaN (a failed or unmeasured trial) is worse than any number, and equal values go to the lower
 * trial id so that every ranking is reproducible.
 */
public record Objective(String metric, Mode mode) implements java.io.Serializable {

    public enum Mode {
        MIN, MAX;

        /** The word a spec uses: {@code min}, {@code max}. */
        public String specName() { return name().toLowerCase(Locale.ROOT); }
    }

    public boolean minimises() { return mode == Mode.MIN; }

    /** Strictly better; a NaN candidate never is, any number beats a NaN incumbent. */
    public boolean isBetter(double candidate, double incumbent) {
        if (Double.isNaN(candidate)) return false;
        if (Double.isNaN(incumbent)) return true;
        return minimises() ? candidate < incumbent : candidate > incumbent;
    }

    /** Better than {@code best} by more than {@code minDelta} (Keras EarlyStopping's rule). */
    public boolean improves(double candidate, double best, double minDelta) {
        if (Double.isNaN(candidate)) return false;
        if (Double.isNaN(best)) return true;
        return minimises() ? candidate < best - minDelta : candidate > best + minDelta;
    }

    /** Best first, NaN last. */
    public int compare(double a, double b) {
        boolean na = Double.isNaN(a), nb = Double.isNaN(b);
        if (na || nb) return Boolean.compare(na, nb);
        return minimises() ? Double.compare(a, b) : Double.compare(b, a);
    }

    /** Orders items best first by {@code value}, NaN last, ties by {@code id}. */
    public <T> Comparator<T> ranking(ToDoubleFunction<T> value, Function<T, String> id) {
        return (a, b) -> {
            int c = compare(value.applyAsDouble(a), value.applyAsDouble(b));
            return c != 0 ? c : id.apply(a).compareTo(id.apply(b));
        };
    }

    /** The value that loses to every other: what the constant liar assumes for a running trial. */
    public double worst() { return minimises() ? Double.POSITIVE_INFINITY : Double.NEGATIVE_INFINITY; }

    /** A value to minimise: the value itself, or its negation when the objective is maximised. */
    public double asLoss(double value) { return minimises() ? value : -value; }
}
