package org.cinelab.search;

import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;

class TruncatedNormalTest {
    @Test
    void massesMatchTheNormalDistributionIncludingFarTails() {
        assertEquals(Math.log(0.6826894921370859), TruncatedNormal.logMass(-1, 1), 1e-14);
        assertEquals(Math.log(0.15865525393145707), TruncatedNormal.logMass(-40, -1), 1e-14);
        // Phi(-21) - Phi(-20) = 2.7536241153269557e-89 (mpmath), far below double's resolution of 1 - Phi
        assertEquals(Math.log(2.7536241153269557e-89), TruncatedNormal.logMass(-21, -20), 1e-9);
        assertEquals(Math.log(2.7536241153269557e-89), TruncatedNormal.logMass(20, 21), 1e-9);
    }

    @Test
    void theQuantileFunctionInvertsTheTruncatedCdf() {
        double[][] bounds = {{-1, 1}, {-3, 0.5}, {-0.2, 8}, {-60, 2}};
        for (double[] ab : bounds) {
            double a = ab[0], b = ab[1];
            double mass = TruncatedNormal.ndtr(b) - TruncatedNormal.ndtr(a);
            for (double q : new double[] {0, 0.01, 0.3, 0.5, 0.77, 0.999}) {
                double x = TruncatedNormal.ppf(q, a, b);
                assertEquals(q, (TruncatedNormal.ndtr(x) - TruncatedNormal.ndtr(a)) / mass, 1e-9, "q " + q + " on [" + a + ", " + b + "]");
            }
        }
    }
}
