package org.cinelab.runner;

import org.cinelab.space.Domain;
import org.cinelab.spec.ExperimentSpec;

/** A sampled value back from the text a run's param holds, in the type the search gave it. */
final class TrialValues {
    private TrialValues() {}

    static Object parse(ExperimentSpec spec, String name, String text) {
        Domain d = spec.space().domain(name);
        if (d instanceof Domain.Choice c) {
            for (Object candidate : c.values()) {
                if (Domain.format(candidate).equals(text) || String.valueOf(candidate).equals(text)) return candidate;
            }
            throw new Reproduction.Refused("the run's " + name + " = " + text + " is not one of the spec's choices "
                    + Domain.format(c.values()));
        }
        try {
            if (d instanceof Domain.IntRange) return Integer.parseInt(text);
            return Double.parseDouble(text);
        } catch (NumberFormatException e) {
            throw new Reproduction.Refused("the run's " + name + " = '" + text + "' is not a number");
        }
    }
}
