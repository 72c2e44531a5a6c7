package org.cinelab.spec;

import java.nio.file.Path;

/**
 * One thing wrong with a spec, located precisely enough to fix it without guessing:
 * {@code experiments/q.yaml:12:5: search.eta: must be an integer >= 2, got 1}.
 *
 * @param field dotted path of the offending key, e.g. {@code space.lr.loguniform}
 */
public record SpecProblem(Path file, int line, int column, String field, String message) {
    @Override
    public String toString() {
        return file + ":" + line + ":" + column + ": " + field + ": " + message;
    }
}
