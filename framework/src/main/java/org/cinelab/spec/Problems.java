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
    /** Sort position of each problem: file problems by line, then each override's after them in order. */
    private final List<Long> order = new ArrayList<>();

    Problems(Path file) { this(file, List.of()); }

    /** @param overrides the {@code --set} overrides: a node on line -(k + 1) came from the k-th */
    Problems(Path file, List<String> overrides) {
        this.file = file;
        this.overrides = overrides;
    }

    void at(int line, int column, String field, String message) {
        if (line < 0 && -line <= overrides.size()) {
            found.add(new SpecProblem(Path.of("--set '" + overrides.get(-line - 1) + "'"), 1, column, field, message));
            order.add(((long) Integer.MAX_VALUE - overrides.size() - line) << 20 | Math.min(column, 0xFFFFF));
        } else {
            found.add(new SpecProblem(file, line, column, field, message));
            order.add((long) Math.max(line, 0) << 20 | Math.min(Math.max(column, 0), 0xFFFFF));
        }
    }

    void at(YamlNode node, String field, String message) { at(node.line(), node.column(), field, message); }

    void at(YamlNode.Entry key, String field, String message) { at(key.line(), key.column(), field, message); }

    boolean isEmpty() { return found.isEmpty(); }

    int count() { return found.size(); }

    /** Problems sorted by position; problems at the same spot keep the order they were found in. */
    List<SpecProblem> sorted() {
        List<Integer> index = new ArrayList<>();
        for (int i = 0; i < found.size(); i++) index.add(i);
        index.sort(Comparator.comparingLong(order::get));
        return index.stream().map(found::get).toList();
    }

    SpecException exception() { return new SpecException(sorted()); }
}
