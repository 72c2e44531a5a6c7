package org.cinelab.spec;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;

/**
 * A "billion laughs" spec: nine levels of nine aliases stand for 9^9 (387 million) strings. Aliases
 * share nodes, so the tree is small, but walking it (paper:, the resolved spec) expands every copy:
 * before the limit, validating this took minutes and gigabytes. The timeouts only stop a hang.
 */
class AliasBombTest {
    static final String BOMB = """
            experiment: {name: bomb}
            dataset: {name: toy-ratings}
            model: {type: toy-mf}
            search: {max_epochs: 1}
            paper:
              a: &a ["lol", "lol", "lol", "lol", "lol", "lol", "lol", "lol", "lol"]
              b: &b [*a, *a, *a, *a, *a, *a, *a, *a, *a]
              c: &c [*b, *b, *b, *b, *b, *b, *b, *b, *b]
              d: &d [*c, *c, *c, *c, *c, *c, *c, *c, *c]
              e: &e [*d, *d, *d, *d, *d, *d, *d, *d, *d]
              f: &f [*e, *e, *e, *e, *e, *e, *e, *e, *e]
              g: &g [*f, *f, *f, *f, *f, *f, *f, *f, *f]
              h: &h [*g, *g, *g, *g, *g, *g, *g, *g, *g]
              i: &i [*h, *h, *h, *h, *h, *h, *h, *h, *h]
            """;

    @Test
    @Timeout(value = 60, threadMode = Timeout.ThreadMode.SEPARATE_THREAD)
    void anAliasBombIsRejectedAtTheAliasThatCrossesTheLimit() {
        // a..e stand for 10, 91, 820, 7381 and 66430 nodes (each list counts too): f's first *e crosses 100,000.
        assertEquals(List.of("spec.yaml:11:10: paper.f[0]: the spec expands to more than 100000 YAML nodes with alias *e"
                        + " (66430 nodes); aliases nested this deep multiply (a 'billion laughs' alias bomb?): a spec needs"
                        + " far fewer, so use fewer or shallower aliases"),
                SpecProblems.of(BOMB));
    }

    @Test
    @Timeout(value = 60, threadMode = Timeout.ThreadMode.SEPARATE_THREAD)
    void aBombAnywhereElseIsRejectedTooAndOnlyOnce() {
        List<String> problems = SpecProblems.of(BOMB.replace("paper:", "space:"));
        assertEquals(1, problems.size(), problems.toString());
        assertEquals("spec.yaml:11:10: space.f[0]", problems.get(0).substring(0, problems.get(0).indexOf(": the spec")));
    }

    @Test
    void ordinaryAliasesStillWork() throws SpecException {
        ExperimentSpec spec = ToyZoo.LOADER.read("""
                experiment: {name: shared}
                dataset: {name: toy-ratings}
                model: {type: toy-mf}
                search: {max_epochs: 1}
                paper:
                  row: &row {rmse: 0.9, mae: 0.7}
                  again: [*row, *row, *row]
                """, SpecProblems.FILE);
        assertNotNull(spec.paper().get("again"));
        assertEquals(3, ((List<?>) spec.paper().get("again")).size());
    }
}
