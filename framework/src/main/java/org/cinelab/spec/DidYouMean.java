package org.cinelab.spec;

import java.util.Collection;
import java.util.Locale;
import java.util.Optional;

/** Suggests the valid name closest to a misspelt one, by edit distance. */
final class DidYouMean {
    private DidYouMean() {}

    /**
     * The closest candidate when it is a plausible typo: at most 2 edits, and at most one edit per
     * three letters, so that two-letter names ({@code u1}, {@code lr}) are never "corrected".
     */
    static Optional<String> closest(String given, Collection<String> candidates) {
        String best = null;
        int bestDistance = Integer.MAX_VALUE;
        for (String c : candidates) {
            int d = distance(given.toLowerCase(Locale.ROOT), c.toLowerCase(Locale.ROOT));
            if (d < bestDistance) {
                best = c;
                bestDistance = d;
            }
        }
        if (best == null) return Optional.empty();
        int allowed = Math.min(2, best.length() / 3);
        return bestDistance <= allowed ? Optional.of(best) : Optional.empty();
    }

    /** "; did you mean 'x'?" when one candidate is close, otherwise "; {listIntro} a, b, c". */
    static String hint(String given, Collection<String> candidates, String listIntro) {
        return closest(given, candidates)
                .map(c -> "; did you mean '" + c + "'?")
                .orElseGet(() -> candidates.isEmpty() ? "" : "; " + listIntro + " " + String.join(", ", candidates));
    }

    /** Optimal string alignment distance: insertions, deletions, substitutions and adjacent swaps cost 1. */
    static int distance(String a, String b) {
        int[][] d = new int[a.length() + 1][b.length() + 1];
        for (int i = 0; i <= a.length(); i++) d[i][0] = i;
        for (int j = 0; j <= b.length(); j++) d[0][j] = j;
        for (int i = 1; i <= a.length(); i++) {
            for (int j = 1; j <= b.length(); j++) {
                int cost = a.charAt(i - 1) == b.charAt(j - 1) ? 0 : 1;
                d[i][j] = Math.min(Math.min(d[i - 1][j] + 1, d[i][j - 1] + 1), d[i - 1][j - 1] + cost);
                if (i > 1 && j > 1 && a.charAt(i - 1) == b.charAt(j - 2) && a.charAt(i - 2) == b.charAt(j - 1)) {
                    d[i][j] = Math.min(d[i][j], d[i - 2][j - 2] + 1);
                }
            }
        }
        return d[a.length()][b.length()];
    }
}
