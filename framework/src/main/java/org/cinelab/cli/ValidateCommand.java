package org.cinelab.cli;

import org.cinelab.search.Planner;
import org.cinelab.spec.ExperimentSpec;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;

import java.util.concurrent.Callable;

/** {@code cinelab validate SPEC}: checks a spec; exit 2 with located messages when it is wrong. */
@Command(name = "validate", description = "Check a spec without running anything (exit 2 if invalid).")
final class ValidateCommand implements Callable<Integer> {
    @picocli.CommandLine.Spec
    picocli.CommandLine.Model.CommandSpec commandSpec;

    private java.io.PrintWriter out() { return commandSpec.commandLine().getOut(); }

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
