package org.cinelab.cli;

import org.cinelab.search.Search;
import org.cinelab.spec.ExperimentSpec;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;


/** {@code cinelab validate SPEC}: checks a spec; exit 2 with located messages when it is wrong. */
@Command(name = "validate", description = "Check a spec without running anything (exit 2 if invalid).")
final class ValidateCommand extends CineLabCommand {
    @Mixin
    SpecArgument spec;

    @Override
    public Integer call() throws Exception {
        ExperimentSpec s = spec.load();
        var scheduler = Search.of(s.search(), s.space(), s.seed(), s.objective()).scheduler();
        var budget = scheduler.budget();
        out().printf("%s: valid (model %s on %s/%s; %s%d trials, %s epochs planned)%n", s.file(), s.model().type(),
                s.dataset().name(), s.dataset().split(), scheduler.brackets().isEmpty() ? "up to " : "", scheduler.maxTrials(),
                budget.exact() ? Long.toString(budget.maxEpochs()) : budget.minEpochs() + "-" + budget.maxEpochs());
        return 0;
    }
}
