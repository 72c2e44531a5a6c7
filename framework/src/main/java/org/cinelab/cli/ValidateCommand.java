package org.cinelab.cli;

import org.cinelab.search.Planner;
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
        var plan = Planner.plan(s);
        out().printf("%s: valid (model %s on %s/%s; %d trials, %d epochs planned)%n", s.file(), s.model().type(),
                s.dataset().name(), s.dataset().split(), plan.trials().size(), plan.totalEpochs());
        return 0;
    }
}
