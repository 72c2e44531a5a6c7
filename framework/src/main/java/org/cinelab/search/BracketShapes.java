package org.cinelab.search;

import java.util.ArrayList;
import java.util.List;

/**
 * The brackets of the synchronous schedulers, fixed before the first epoch: how many trials each
 * bracket starts and how many epochs each rung trains to. Integer arithmetic throughout, so the
 * shapes are exact and the same on every machine.
 */
public final class BracketShapes {
    private BracketShapes() {}

    /** {@code scheduler: none}: one bracket whose one rung trains every trial for max_epochs. */
    public static List<BracketShape> full(int trials, int maxEpochs) {
        BudgetChecks.maxEpochs(maxEpochs);
        BudgetChecks.trials(trials);
        return List.of(new BracketShape(0, List.of(new Rung(0, trials, maxEpochs))));
    }

    /**
     * {@code scheduler: successive-halving}: one bracket whose rung i trains to
     * r_i = min_epochs * eta^i epochs while that is below max_epochs, then a last rung at exactly
     * max_epochs; n_0 = trials and n_i = max(1, floor(n_{i-1} / eta)) survive each rung.
     */
    public static List<BracketShape> successiveHalving(int trials, int maxEpochs, int eta, int minEpochs) {
        BudgetChecks.etaAndMinEpochs(maxEpochs, eta, minEpochs);
        BudgetChecks.trials(trials);
        List<Rung> rungs = new ArrayList<>();
        int configs = trials;
        for (int epochs : rungEpochs(maxEpochs, eta, minEpochs)) {
            rungs.add(new Rung(rungs.size(), configs, epochs));
            configs = Math.max(1, configs / eta);
        }
        return List.of(new BracketShape(0, rungs));
    }

    /** min_epochs, min_epochs * eta, ... while below max_epochs, then max_epochs: the rungs of successive halving and ASHA. */
    public static List<Integer> rungEpochs(int maxEpochs, int eta, int minEpochs) {
        List<Integer> out = new ArrayList<>();
        for (long epochs = minEpochs; epochs < maxEpochs; epochs *= eta) out.add((int) epochs);
        out.add(maxEpochs);
        return out;
    }

    /**
     * {@code scheduler: hyperband}: Algorithm 1 of Li et al., "Hyperband: A Novel Bandit-Based
     * Approach to Hyperparameter Optimization", JMLR 18 (2018), run as s_max + 1 successive-halving
     * brackets that trade many short trials against few long ones.
     *
     * <p>The resource unit is {@code min_epochs}, so R = max_epochs / min_epochs (integer division),
     * s_max = floor(log_eta R) and B = (s_max + 1) R. Bracket s starts n = ceil((B / R) eta^s / (s + 1))
     * trials, and rung i keeps n_i = floor(n eta^-i) of them for r_i = R eta^(i - s) units. In epochs,
     * rung i trains to min_epochs * R * eta^(i - s) rounded to the nearest integer (halves up), and
     * the last rung of every bracket is exactly max_epochs (which differs from min_epochs * R only
     * when min_epochs does not divide max_epochs). With R a power of eta and min_epochs = 1 this is
     * the paper's Table 1 exactly. The first rung is never below min_epochs, since eta^s_max <= R.
     */
    public static List<BracketShape> hyperband(int maxEpochs, int eta, int minEpochs) {
        BudgetChecks.etaAndMinEpochs(maxEpochs, eta, minEpochs);
        long r = maxEpochs / minEpochs;
        int sMax = sMax(maxEpochs, eta, minEpochs);
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

    /** s_max = floor(log_eta R) with R = max_epochs / min_epochs: the largest s with eta^s <= R. */
    public static int sMax(int maxEpochs, int eta, int minEpochs) {
        long r = maxEpochs / minEpochs;
        int s = 0;
        for (long power = eta; power <= r; power *= eta) s++;
        return s;
    }

    /** Epochs trained by a bracket's trials, a promoted trial resuming from its checkpoint. */
    public static long epochs(List<BracketShape> shapes) {
        long total = 0;
        for (BracketShape b : shapes) {
            int previous = 0;
            for (Rung rung : b.rungs()) {
                total += (long) rung.configs() * (rung.epochs() - previous);
                previous = rung.epochs();
            }
        }
        return total;
    }

    private static long pow(long base, int exponent) {
        long result = 1;
        for (int k = 0; k < exponent; k++) result *= base;
        return result;
    }

    private static long ceilDiv(long a, long b) { return (a + b - 1) / b; }

    private static long roundDiv(long a, long b) { return (2 * a + b) / (2 * b); }
}
