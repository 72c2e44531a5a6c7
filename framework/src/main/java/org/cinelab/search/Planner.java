package org.cinelab.search;

import org.cinelab.spec.ExperimentSpec;

/** Turns a spec's sampler and scheduler into a {@link Plan}. (Stub: being written.) */
public final class Planner {
    private Planner() {}

    public static Plan plan(ExperimentSpec spec) {
        throw new UnsupportedOperationException("not written yet");
    }
}
