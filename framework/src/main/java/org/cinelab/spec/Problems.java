package org.cinelab.spec;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;

/** Collects every problem in one spec file, so the author sees them all at once, in file order. */
final class Problems {
    private final Path file;
    private final List<String> overrides;
    private final List<SpecProblem> found = new ArrayList<>();

    Problems(Path file) { this(file, List.of()); }

    /** @param overrides the {@code --set} overrides: a node on line -(k + 1) came from the k-th */
    Problems(Path file, List<String> overrides) {
        this.file = file;
        this.overrides = overrides;
    }

    void at(int line, int column, String field, String message) {
        if (line < 0 && -line <= overrides.size()) {
            found.add(new SpecProblem(Path.of("--set '" + overrides.get(-line - 1) + "'"), 1, column, field, message));
        } else {
            found.add(new SpecProblem(file, line, column, field, message));
        }
    }

    void at(YamlNode node, String field, String message) { at(node.line(), node.column(), field, message); }

    void at(YamlNode.Entry key, String field, String message) { at(key.line(), key.column(), field, message); }

    boolean isEmpty() { return found.isEmpty(); }

    int count() { return found.size(); }

    /** Problems sorted by position; problems at the same spot keep the order they were found in. */
    List<SpecProblem> sorted() {
        List<SpecProblem> out = new ArrayList<>(found);
        out.sort(Comparator.comparingInt(SpecProblem::line).thenComparingInt(SpecProblem::column));
        return out;
    }

    SpecException exception() { return new SpecException(sorted()); }
}
