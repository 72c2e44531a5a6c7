package org.cinelab.search;

import org.cinelab.spec.ExperimentSpec.SearchSpec;

import java.util.List;

/**
 * Decides how many epochs each configuration gets: the shape of every bracket (its rungs, with
 * n_i trials trained to r_i epochs). Which configurations fill them is a {@link Sampler}'s business.
 */
public interface Scheduler {

    /**
     * The brackets in the order they run.
     *
     * @param trials how many configurations a single-bracket scheduler starts with; ignored by
     *               schedulers that size their own brackets ({@link #sizesItsOwnBrackets()})
     */
    List<BracketShape> brackets(int trials);

    /** True when {@link #brackets(int)} ignores its argument (Hyperband). */
    default boolean sizesItsOwnBrackets() {
        return false;
    }

    /** The scheduler named by {@code search.scheduler}, with the spec's max_epochs, eta and min_epochs. */
    static Scheduler forSpec(SearchSpec search) {
        return switch (search.scheduler()) {
            case NONE -> new FullBudgetScheduler(search.maxEpochs());
            case SUCCESSIVE_HALVING -> new SuccessiveHalvingScheduler(search.maxEpochs(), search.eta(), search.minEpochs());
            case HYPERBAND -> new HyperbandScheduler(search.maxEpochs(), search.eta(), search.minEpochs());
        };
    }
}
