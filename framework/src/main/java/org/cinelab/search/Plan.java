package org.cinelab.search;

import java.util.List;

/**
 * Everything an experiment will train, known before training starts: the brackets, their rungs
 * and trials. {@link #totalEpochs()} counts epochs actually trained, since a promoted trial
 * resumes from its checkpoint instead of retraining.
 */
public record Plan(List<Bracket> brackets) {

    public List<TrialConfig> trials() {
        return brackets.stream().flatMap(b -> b.trials().stream()).toList();
    }

    public long totalEpochs() {
        long total = 0;
        for (Bracket b : brackets) {
            int previous = 0;
            for (Rung r : b.rungs()) {
                total += (long) r.configs() * (r.epochs() - previous);
                previous = r.epochs();
            }
        }
        return total;
    }
}
