package org.cinelab.search;

import java.util.List;

/** {@code scheduler: none}: every trial trains for max_epochs; one bracket with one rung. */
public final class FullBudgetScheduler implements Scheduler {

    private final int maxEpochs;

    public FullBudgetScheduler(int maxEpochs) {
        BudgetChecks.maxEpochs(maxEpochs);
        this.maxEpochs = maxEpochs;
    }

    @Override
    public List<BracketShape> brackets(int trials) {
        BudgetChecks.trials(trials);
        return List.of(new BracketShape(0, List.of(new Rung(0, trials, maxEpochs))));
    }
}
