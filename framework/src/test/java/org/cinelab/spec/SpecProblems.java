package org.cinelab.spec;

import java.nio.file.Path;
import java.util.List;
import java.util.function.Function;

import static org.junit.jupiter.api.Assertions.assertThrows;

/** Test helper: the problems a spec produces, as the lines the CLI prints. */
final class SpecProblems {
    static final Path FILE = Path.of("spec.yaml");

    private SpecProblems() {}

    /** Problems from loading {@code yaml} against the fixed {@link ToyZoo} (toy-mf, toy-ratings). */
    static List<String> of(String yaml) {
        return of(yaml, ToyZoo.LOADER);
    }

    /** Problems from loading {@code yaml} with {@code loader}. */
    static List<String> of(String yaml, SpecLoader loader) {
        return of(yaml, text -> {
            try {
                return loader.read(text, FILE);
            } catch (SpecException e) {
                throw new Rejected(e);
            }
        });
    }

    private static List<String> of(String yaml, Function<String, ExperimentSpec> load) {
        Rejected r = assertThrows(Rejected.class, () -> load.apply(yaml), "expected the spec to be rejected");
        return r.exception.problems().stream().map(SpecProblem::toString).toList();
    }

    private static final class Rejected extends RuntimeException {
        final SpecException exception;

        Rejected(SpecException e) {
            super(e);
            this.exception = e;
        }
    }
}
