package org.cinelab.search;

import java.util.List;

/**
 * A successive-halving bracket: its trials start in rung 0; after each rung the best
 * {@code rungs.get(i + 1).configs()} continue. Plain search is one bracket with one rung.
 *
 * @param s Hyperband's bracket index (s_max down to 0); 0 for other schedulers
 */
public record Bracket(int s, List<Rung> rungs, List<TrialConfig> trials) {
}
