package org.cinelab.search;

import java.util.ArrayList;
import java.util.List;

/**
 * {@code scheduler: hyperband}: Algorithm 1 of Li et al., "Hyperband: A Novel Bandit-Based
 * Approach to Hyperparameter Optimization", JMLR 18 (2018), run as s_max + 1 successive-halving
 * brackets that trade many short trials against few long ones.
 *
 * <p>The resource unit is {@code min_epochs}, so R = max_epochs / min_epochs (integer division),
 * s_max = floor(log_eta R) and B = (s_max + 1) R, all computed with integers. Bracket s starts
 * n = ceil((B / R) eta^s / (s + 1)) trials, and rung i keeps n_i = floor(n eta^-i) of them for
 * r_i = R eta^(i - s) units. In epochs, rung i trains to min_epochs * R * eta^(i - s) rounded to
 * the nearest integer (halves up), and the last rung of every bracket is exactly max_epochs (which
 * differs from min_epochs * R only when min_epochs does not divide max_epochs). With R a power of
 * eta and min_epochs = 1 this is the paper's Table 1 exactly. The first rung is never below
 * min_epochs, since eta^s_max <= R.
 *
 * <p>The trial count of the spec is ignored: each bracket sizes itself.
 */
public final class HyperbandScheduler implements Scheduler {

    private final int maxEpochs;
    private final int eta;
    private final int minEpochs;

    public HyperbandScheduler(int maxEpochs, int eta, int minEpochs) {
        BudgetChecks.etaAndMinEpochs(maxEpochs, eta, minEpochs);
        this.maxEpochs = maxEpochs;
        this.eta = eta;
        this.minEpochs = minEpochs;
    }

    /** R: the maximum budget in units of min_epochs. */
    public int resourceUnits() {
        return maxEpochs / minEpochs;
    }

    /** s_max = floor(log_eta R), the largest s with eta^s <= R. */
    public int sMax() {
        long r = resourceUnits();
        int s = 0;
        for (long power = eta; power <= r; power *= eta) s++;
        return s;
    }

    @Override
    public boolean sizesItsOwnBrackets() {
        return true;
    }

    @Override
    public List<BracketShape> brackets(int ignoredTrials) {
        long r = resourceUnits();
        int sMax = sMax();
        List<BracketShape> out = new ArrayList<>();
        for (int s = sMax; s >= 0; s--) {
            long etaToS = pow(eta, s);
            long n = ceilDiv((sMax + 1) * etaToS, s + 1);
            List<Rung> rungs = new ArrayList<>();
            for (int i = 0; i <= s; i++) {
                long etaToI = pow(eta, i);
                int epochs = i == s ? maxEpochs : (int) roundDiv(minEpochs * r * etaToI, etaToS);
                rungs.add(new Rung(i, (int) (n / etaToI), epochs));
            }
            out.add(new BracketShape(s, rungs));
        }
        return out;
    }

    private static long pow(long base, int exponent) {
        long result = 1;
        for (int k = 0; k < exponent; k++) result *= base;
        return result;
    }

    private static long ceilDiv(long a, long b) {
        return (a + b - 1) / b;
    }

    private static long roundDiv(long a, long b) {
        return (2 * a + b) / (2 * b);
    }
}
