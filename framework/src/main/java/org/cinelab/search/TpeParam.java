package org.cinelab.search;

import org.cinelab.space.Domain;

import java.util.List;

/**
 * One hyperparameter as {@link TpeSampler}'s Parzen estimators see it (Optuna's internal
 * representation): a continuous value on [low, high] (in log space for {@code loguniform}), an
 * integer grid low, low + step, ... scored by the normal mass of [v - step/2, v + step/2], or the
 * index of a choice (list values such as {@code [256, 128]} included) for the categorical kernel.
 */
record TpeParam(String name, Domain domain, Kind kind, double low, double high, double step, int choices) {

    enum Kind { CONTINUOUS, DISCRETE, CATEGORICAL }

    static TpeParam of(String name, Domain domain) {
        if (domain instanceof Domain.Uniform u) return new TpeParam(name, domain, Kind.CONTINUOUS, u.low(), u.high(), 0, 0);
        if (domain instanceof Domain.LogUniform l) {
            return new TpeParam(name, domain, Kind.CONTINUOUS, StrictMath.log(l.low()), StrictMath.log(l.high()), 0, 0);
        }
        if (domain instanceof Domain.IntRange r) {
            long top = r.low() + (r.high() - r.low()) / r.step() * r.step();
            return new TpeParam(name, domain, Kind.DISCRETE, r.low(), top, r.step(), 0);
        }
        Domain.Choice c = (Domain.Choice) domain;
        return new TpeParam(name, domain, Kind.CATEGORICAL, 0, 0, 0, c.values().size());
    }

    boolean categorical() { return kind == Kind.CATEGORICAL; }

    /** The kernels' support: [low, high], widened by half a step on each side for an integer grid. */
    double supportLow() { return kind == Kind.DISCRETE ? low - step / 2 : low; }

    double supportHigh() { return kind == Kind.DISCRETE ? high + step / 2 : high; }

    /** {@code value} in the internal representation, NaN when this domain cannot produce it. */
    double internal(Object value) {
        if (value == null) return Double.NaN;
        if (kind == Kind.CATEGORICAL) return indexOf(((Domain.Choice) domain).values(), value);
        if (!(value instanceof Number n)) return Double.NaN;
        double v = n.doubleValue();
        if (domain instanceof Domain.LogUniform) return v > 0 ? StrictMath.log(v) : Double.NaN;
        return v;
    }

    /** The value the domain gives for an internal one: clipped to the domain, of the domain's type. */
    Object external(double x) {
        switch (kind) {
            case CATEGORICAL -> {
                return ((Domain.Choice) domain).values().get((int) x);
            }
            case DISCRETE -> {
                long v = (long) Math.min(high, Math.max(low, low + Math.rint((x - low) / step) * step));
                return v >= Integer.MIN_VALUE && v <= Integer.MAX_VALUE ? (Object) (int) v : (Object) v;
            }
            default -> {
                if (domain instanceof Domain.LogUniform l) return Math.min(l.high(), Math.max(l.low(), StrictMath.exp(x)));
                return Math.min(high, Math.max(low, x));
            }
        }
    }

    /**
     * The index of {@code value} among {@code values}, NaN if absent. Numbers compare by value and
     * lists element by element, so a value read back from a trial's stored state (where an int may
     * come back as a long) still finds its choice.
     */
    static double indexOf(List<Object> values, Object value) {
        for (int i = 0; i < values.size(); i++) if (same(values.get(i), value)) return i;
        return Double.NaN;
    }

    private static boolean same(Object a, Object b) {
        if (a instanceof Number x && b instanceof Number y) {
            return x.doubleValue() == y.doubleValue();
        }
        if (a instanceof List<?> x && b instanceof List<?> y) {
            if (x.size() != y.size()) return false;
            for (int i = 0; i < x.size(); i++) if (!same(x.get(i), y.get(i))) return false;
            return true;
        }
        return a.equals(b);
    }
}
