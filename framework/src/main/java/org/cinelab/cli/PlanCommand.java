package org.cinelab.cli;

import org.cinelab.search.PlanPrinter;
import org.cinelab.search.Search;
import org.cinelab.spec.ExperimentSpec;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;


/** {@code cinelab plan SPEC}: every trial and, for Hyperband, the bracket table, without training. */
@Command(name = "plan", description = "Print every trial and the bracket table and epoch budget, without training.")
final class PlanCommand extends CineLabCommand {
    @Mixin
    SpecArgument spec;

    @Override
    public Integer call() throws Exception {
        ExperimentSpec s = spec.load();
        out().print(PlanPrinter.format(Search.of(s.search(), s.space(), s.seed(), s.objective())));
        return 0;
    }
}
