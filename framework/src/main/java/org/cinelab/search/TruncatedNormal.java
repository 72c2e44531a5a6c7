package org.cinelab.search;

import org.apache.commons.numbers.gamma.Erfc;
import org.apache.commons.numbers.gamma.InverseErfc;

/**
 * The standard normal distribution truncated to [a, b], in log space where tails need it: what
 * the Parzen estimators of {@link TpeSampler} sample from and score with (after Optuna's
 * {@code _truncnorm.py}, itself after SciPy). Bounds are in standard units, {@code (bound - mu) / sigma}.
 * erfc and its inverse are Boost's, from Apache Commons Numbers.
 */
final class TruncatedNormal {
    private static final double LOG_SQRT_2PI = 0.5 * StrictMath.log(2 * StrictMath.PI);
    private static final double SQRT2 = StrictMath.sqrt(2);

    private TruncatedNormal() {}

    /** Phi(x), the standard normal CDF. */
    static double ndtr(double x) {
        return 0.5 * Erfc.value(-x / SQRT2);
    }

    /** log Phi(x), accurate far into the left tail (asymptotic series below -20, as SciPy). */
    static double logNdtr(double x) {
        if (x > 6) return -ndtr(-x);
        if (x > -20) return StrictMath.log(ndtr(x));
        double logLhs = -0.5 * x * x - StrictMath.log(-x) - LOG_SQRT_2PI;
        double last = 0, rhs = 1, numerator = 1, denomFactor = 1, denomCons = 1 / (x * x);
        int sign = 1;
        for (int i = 1; Math.abs(last - rhs) > Math.ulp(1.0) && i < 100; i++) {
            last = rhs;
            sign = -sign;
            denomFactor *= denomCons;
            numerator *= 2 * i - 1;
            rhs += sign * numerator * denomFactor;
        }
        return logLhs + StrictMath.log(rhs);
    }

    /** log(Phi(b) - Phi(a)) for a < b, working in the left tail (the accurate one) on either side. */
    static double logMass(double a, double b) {
        if (b <= 0) return logDiff(logNdtr(b), logNdtr(a));
        if (a > 0) return logDiff(logNdtr(-a), logNdtr(-b));
        return StrictMath.log1p(-ndtr(a) - ndtr(-b));
    }

    private static double logDiff(double logP, double logQ) {
        return logP + StrictMath.log1p(-StrictMath.exp(logQ - logP));
    }

    /** log density at x of N(mu, sigma) truncated to [low, high], given {@code logNorm = logMass + log sigma}. */
    static double logPdf(double x, double mu, double sigma, double logNorm) {
        double z = (x - mu) / sigma;
        return -0.5 * z * z - LOG_SQRT_2PI - logNorm;
    }

    /**
     * The q-quantile (q in [0, 1)) of the standard normal truncated to [a, b], a <= 0 <= b or not:
     * inverts the side whose CDF value is below one half, so that no precision is lost near 1.
     */
    static double ppf(double q, double a, double b) {
        double mass = StrictMath.exp(logMass(a, b));
        double x;
        double left = ndtr(a) + q * mass;
        if (left <= 0.5) {
            x = ndtri(left);
        } else {
            x = -ndtri(ndtr(-b) + (1 - q) * mass);
        }
        if (Double.isNaN(x)) return a;
        return Math.min(b, Math.max(a, x));
    }

    /** Phi^-1(p) for p in [0, 0.5], accurate for tiny p; -infinity at 0. */
    private static double ndtri(double p) {
        if (p <= 0) return Double.NEGATIVE_INFINITY;
        return -SQRT2 * InverseErfc.value(2 * p);
    }
}
