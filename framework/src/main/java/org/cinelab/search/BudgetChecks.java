package org.cinelab.search;

/** Argument checks shared by the schedulers, with messages that name the spec field. */
final class BudgetChecks {
    private BudgetChecks() {}

    static void maxEpochs(int maxEpochs) {
        if (maxEpochs < 1) {
            throw new IllegalArgumentException("search.max_epochs: must be an integer >= 1, got " + maxEpochs);
        }
    }

    static void etaAndMinEpochs(int maxEpochs, int eta, int minEpochs) {
        maxEpochs(maxEpochs);
        if (eta < 2) {
            throw new IllegalArgumentException("search.eta: must be an integer >= 2, got " + eta);
        }
        if (minEpochs < 1 || minEpochs > maxEpochs) {
            throw new IllegalArgumentException("search.min_epochs: must be between 1 and search.max_epochs ("
                    + maxEpochs + "), got " + minEpochs);
        }
    }

    static void trials(int trials) {
        if (trials < 1) {
            throw new IllegalArgumentException("search.trials: must be an integer >= 1, got " + trials);
        }
    }
}
