package org.cinelab.search;

import java.util.List;

/**
 * The budget side of a bracket before any configuration is drawn: Hyperband's index {@code s}
 * and the rungs (n_i trials trained to r_i epochs). {@link #trials()} is n_0.
 */
public record BracketShape(int s, List<Rung> rungs) {

    public BracketShape {
        rungs = List.copyOf(rungs);
        if (rungs.isEmpty()) throw new IllegalArgumentException("a bracket needs at least one rung");
    }

    /** How many configurations start the bracket (n_0). */
    public int trials() {
        return rungs.get(0).configs();
    }
}
