package org.cinelab.search;

import org.cinelab.space.Domain;
import org.cinelab.spec.ExperimentSpec;
import org.cinelab.spec.ExperimentSpec.SearchSpec;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * Turns a spec's sampler and scheduler into a {@link Plan}: the scheduler shapes the brackets,
 * the sampler fills each bracket with configurations, and every trial gets an id ({@code t001},
 * in plan order across brackets) and a seed derived from the experiment seed and that id.
 *
 * <p>The sampler is seeded with {@code Seeds.derive(seed, "sampler")}. Without Hyperband the
 * single bracket starts with {@code search.trials} configurations for random search and with
 * the whole grid for grid search ({@code trials} is not used with a grid). Hyperband sizes its
 * own brackets and draws them from one sampler in turn, so a small grid repeats.
 */
public final class Planner {
    private Planner() {}

    public static Plan plan(ExperimentSpec spec) {
        return plan(spec.search(), spec.space(), spec.seed());
    }

    public static Plan plan(SearchSpec search, Map<String, Domain> space, long seed) {
        Scheduler scheduler = Scheduler.forSpec(search);
        long samplerSeed = Seeds.derive(seed, "sampler");
        Sampler sampler;
        int trials;
        if (search.sampler() == ExperimentSpec.Sampler.GRID) {
            GridSampler grid = new GridSampler(space);
            sampler = grid;
            trials = grid.size();
        } else {
            sampler = new RandomSampler(space, samplerSeed);
            trials = scheduler.sizesItsOwnBrackets() ? 0 : requireTrials(search);
        }

        List<BracketShape> shapes = scheduler.brackets(trials);
        List<List<Map<String, Object>>> drawn = new ArrayList<>();
        int total = 0;
        for (BracketShape shape : shapes) {
            drawn.add(sampler.next(shape.trials()));
            total += shape.trials();
        }

        String idFormat = "t%0" + Math.max(3, String.valueOf(total).length()) + "d";
        List<Bracket> brackets = new ArrayList<>();
        int counter = 0;
        for (int b = 0; b < shapes.size(); b++) {
            BracketShape shape = shapes.get(b);
            List<TrialConfig> configs = new ArrayList<>();
            for (Map<String, Object> values : drawn.get(b)) {
                String id = String.format(Locale.ROOT, idFormat, ++counter);
                configs.add(new TrialConfig(id, shape.s(), values, Seeds.derive(seed, id)));
            }
            brackets.add(new Bracket(shape.s(), shape.rungs(), List.copyOf(configs)));
        }
        return new Plan(List.copyOf(brackets));
    }

    private static int requireTrials(SearchSpec search) {
        if (search.trials() == null) {
            throw new IllegalArgumentException("search.trials: required for the random sampler unless"
                    + " search.scheduler is hyperband");
        }
        return search.trials();
    }
}
