package org.cinelab.tracking;

import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.*;

/** MLflow's search-filter grammar: what parses, what each clause matches, and where a bad filter is wrong. */
class RunFilterTest {
    private static RunRecord run(String id, long start, Map<String, String> params, Map<String, String> tags, Map<String, Double> metrics) {
        return new RunRecord(new RunInfo(id, "1", "name-" + id, "me", RunStatus.FINISHED, start, start + 10, "file:/tmp/" + id, "active"),
                params, tags, metrics);
    }

    private static final RunRecord A = run("aaa", 100, Map.of("lr", "0.02", "optimizer", "Adam"), Map.of("cinelab.seed", "1"),
            Map.of("val_rmse", 0.91, "test_rmse", 0.93));
    private static final RunRecord B = run("bbb", 200, Map.of("lr", "5e-3", "optimizer", "sgd"), Map.of("cinelab.seed", "2"),
            Map.of("val_rmse", 0.97));

    private static RunFilterException error(String filter) {
        return assertThrows(RunFilterException.class, () -> RunFilter.parse(filter));
    }

    @Test
    void aParamComparedWithANumberComparesNumericallyAndOnlyOnTheClientSide() {
        RunFilter f = RunFilter.parse("params.lr > 0.01 and metrics.val_rmse < 0.95");
        assertTrue(f.matches(A));
        assertFalse(f.matches(B)); // "5e-3" is 0.005 as a number, though "5e-3" > "0.01" as text
        assertEquals("metrics.val_rmse < 0.95", f.forServer());
        assertEquals("params.lr > 0.01", f.clientOnly().text());
    }

    @Test
    void mlflowsComparatorsHoldAsInMlflow() {
        assertTrue(RunFilter.parse("params.optimizer = 'Adam'").matches(A));
        assertFalse(RunFilter.parse("params.optimizer = 'adam'").matches(A));
        assertTrue(RunFilter.parse("params.optimizer ILIKE 'ad%'").matches(A));
        assertFalse(RunFilter.parse("params.optimizer LIKE 'ad%'").matches(A));
        assertTrue(RunFilter.parse("params.optimizer LIKE '_dam'").matches(A));
        assertTrue(RunFilter.parse("tags.cinelab.seed != '1'").matches(B));
        assertTrue(RunFilter.parse("attributes.run_id IN ('aaa', 'ccc')").matches(A));
        assertFalse(RunFilter.parse("attributes.run_id NOT IN ('aaa')").matches(A));
        assertTrue(RunFilter.parse("attributes.start_time >= 200 AND status = 'FINISHED'").matches(B));
        assertTrue(RunFilter.parse("metrics.`test_rmse` <= 0.93").matches(A));
        // a run without the metric, param or tag does not match, whatever the comparator
        assertFalse(RunFilter.parse("metrics.test_rmse != 1").matches(B));
        assertFalse(RunFilter.parse("params.missing != 'x'").matches(A));
        assertTrue(RunFilter.parse("  ").matches(B));
    }

    @Test
    void aServerIsSentMlflowSyntaxWithKeysQuotedWhereNeeded() {
        RunFilter f = RunFilter.parse("metrics.\"eval/acc\" > 0.5 and tags.mlflow.parentRunId = 'p\\'1' and attributes.run_id IN ('a', 'b')");
        assertEquals("metrics.`eval/acc` > 0.5 and tags.mlflow.parentRunId = 'p\\'1' and attributes.run_id IN ('a', 'b')", f.forServer());
        assertTrue(f.clientOnly().isEmpty());
    }

    @Test
    void badFiltersNameTheColumnAndWhatWouldBeValid() {
        RunFilterException e = error("params.lr >> 0.01");
        assertEquals(11, e.column());
        assertTrue(e.getMessage().contains("unknown comparator '>>'"), e.getMessage());
        assertTrue(e.pointer().endsWith("          ^"), e.pointer());

        e = error("metrics.rmse < 'low'");
        assertEquals(16, e.column());
        assertTrue(e.getMessage().contains("metric 'rmse' cannot be compared with < and a quoted string; allowed: = != < <= > >= with a number"),
                e.getMessage());

        e = error("tags.team > 'a'");
        assertEquals(11, e.column());
        assertTrue(e.getMessage().contains("allowed: = != LIKE ILIKE"), e.getMessage());

        e = error("params.lr = 0.01 or params.lr = 0.02");
        assertEquals(18, e.column());
        assertTrue(e.getMessage().contains("'or' is not part of MLflow's search syntax"), e.getMessage());

        e = error("param.optimizer = adam");
        assertEquals(19, e.column());
        assertTrue(e.getMessage().contains("quote text values"), e.getMessage());

        e = error("foo.bar = 1");
        assertEquals(1, e.column());
        assertTrue(e.getMessage().contains("unknown identifier type 'foo'"), e.getMessage());

        e = error("params.run IN ('a')");
        assertEquals(12, e.column());
        assertTrue(e.getMessage().contains("param 'run' cannot be compared with IN"), e.getMessage());

        e = error("attributes.colour = 'red'");
        assertTrue(e.getMessage().contains("unknown attribute 'colour'"), e.getMessage());

        e = error("params.optimizer = 'adam");
        assertEquals(20, e.column());
        assertTrue(e.getMessage().contains("unclosed ' string"), e.getMessage());

        e = error("metrics.rmse <");
        assertTrue(e.getMessage().contains("expected a value after '<'"), e.getMessage());

        e = error("metrics.rmse < 1 metrics.mae < 2");
        assertEquals(18, e.column());
        assertTrue(e.getMessage().contains("expected 'and' between comparisons"), e.getMessage());
    }

    @Test
    void sortKeysFollowMlflowOrderWithMissingValuesLast() {
        RunRecord c = run("ccc", 300, Map.of(), Map.of(), Map.of("val_rmse", Double.NaN));
        RunRecord d = run("ddd", 400, Map.of(), Map.of(), Map.of());
        List<RunRecord> runs = new java.util.ArrayList<>(List.of(d, c, B, A));
        runs.sort(RunOrder.comparator(List.of(RunOrder.parse("metrics.val_rmse"))));
        assertEquals(List.of("aaa", "bbb", "ddd", "ccc"), runs.stream().map(RunRecord::runId).toList(), "NaN and missing last, newest first");
        runs.sort(RunOrder.comparator(List.of(RunOrder.parse("metrics.val_rmse DESC"))));
        assertEquals(List.of("bbb", "aaa"), runs.stream().map(RunRecord::runId).toList().subList(0, 2));
        runs.sort(RunOrder.comparator(List.of()));
        assertEquals(List.of("ddd", "ccc", "bbb", "aaa"), runs.stream().map(RunRecord::runId).toList(), "newest first by default");
        assertEquals("params.`my-lr` DESC", RunOrder.parse("params.my-lr desc").forServer());
        RunFilterException e = assertThrows(RunFilterException.class, () -> RunOrder.parse("metrics.rmse upward"));
        assertEquals(14, e.column());
        assertThrows(RunFilterException.class, () -> RunOrder.parse("scores.rmse"));
    }
}
