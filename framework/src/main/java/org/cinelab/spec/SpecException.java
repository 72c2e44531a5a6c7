package org.cinelab.spec;

import java.util.List;
import java.util.stream.Collectors;

/** A spec that cannot be run, with every problem found (not just the first). CLI exit code 2. */
public class SpecException extends Exception {
    private final List<SpecProblem> problems;

    public SpecException(List<SpecProblem> problems) {
        super(problems.stream().map(SpecProblem::toString).collect(Collectors.joining("\n")));
        this.problems = List.copyOf(problems);
    }

    public List<SpecProblem> problems() { return problems; }
}
