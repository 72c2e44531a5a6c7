package org.cinelab.search;

import java.util.ArrayList;
import java.util.List;

/**
 * {@code scheduler: successive-halving}: one bracket whose rung i trains to
 * r_i = min_epochs * eta^i epochs while that is below max_epochs, then a last rung at exactly
 * max_epochs; n_0 = trials and n_i = max(1, floor(n_{i-1} / eta)) survive each rung.
 */
public final class SuccessiveHalvingScheduler implements Scheduler {

    private final int maxEpochs;
    private final int eta;
    private final int minEpochs;

    public SuccessiveHalvingScheduler(int maxEpochs, int eta, int minEpochs) {
        BudgetChecks.etaAndMinEpochs(maxEpochs, eta, minEpochs);
        this.maxEpochs = maxEpochs;
        this.eta = eta;
        this.minEpochs = minEpochs;
    }

    @Override
    public List<BracketShape> brackets(int trials) {
        BudgetChecks.trials(trials);
        List<Rung> rungs = new ArrayList<>();
        int configs = trials;
        for (long epochs = minEpochs; epochs < maxEpochs; epochs *= eta) {
            rungs.add(new Rung(rungs.size(), configs, (int) epochs));
            configs = Math.max(1, configs / eta);
        }
        rungs.add(new Rung(rungs.size(), configs, maxEpochs));
        return List.of(new BracketShape(0, rungs));
    }
}
