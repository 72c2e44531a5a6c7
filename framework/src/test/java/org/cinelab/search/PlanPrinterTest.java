package org.cinelab.search;

import org.cinelab.space.Domain;
import org.cinelab.space.SearchSpace;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Map;
import java.util.TreeMap;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

class PlanPrinterTest {

    private static final SearchSpace SPACE = SearchSpace.of(Map.of(
            "lr", new Domain.LogUniform(1e-4, 1e-1),
            "rank", new Domain.Choice(List.of(8, 16, 32))));

    private static String format(SearchSettings s) { return PlanPrinter.format(Search.of(s, SPACE, 1, SearchTest.RMSE)); }

    private static SearchSettings settings(String sampler, Integer trials, String scheduler, int max) {
        return SearchSettings.of(sampler, trials, scheduler, max, 3, 1);
    }

    private static List<String> lines(String text) {
        return text.lines().map(String::strip).map(l -> l.replaceAll(" +", " ")).toList();
    }

    @Test
    void aHyperbandPlanListsEveryRungOfTheBracketTableAndTheTotals() {
        SearchSettings search = settings("random", null, "hyperband", 81);
        List<String> lines = lines(format(search));

        assertTrue(lines.contains("s rung i n_i r_i"));
        for (String row : List.of("4 0 81 1", "4 1 27 3", "4 2 9 9", "4 3 3 27", "4 4 1 81",
                "3 0 34 3", "3 1 11 9", "3 2 3 27", "3 3 1 81",
                "2 0 15 9", "2 1 5 27", "2 2 1 81", "1 0 8 27", "1 1 2 81", "0 0 5 81")) {
            assertTrue(lines.contains(row), "bracket row " + row);
        }
        assertTrue(lines.contains("trials 143"));
        assertTrue(lines.contains("epochs trained (promoted trials resume from checkpoints) 1581"));
        assertTrue(lines.contains("epochs if every trial ran max_epochs 11583"));
    }

    @Test
    void everyTrialIsListedWithItsBracketSeedAndValues() {
        SearchSettings search = settings("random", 3, "none", 10);
        List<String> lines = lines(format(search));

        for (Search.PlannedTrial t : Search.of(search, SPACE, 1, SearchTest.RMSE).preview()) {
            String row = t.id() + " 0 " + t.seed() + " " + PlanPrinter.values(t.values());
            assertTrue(lines.contains(row), "trial row " + row);
        }
    }

    @Test
    void earlyStoppingIsOneLineUnderTheHeaderAndOnlyWhenSet() {
        SearchSettings search = settings("random", 3, "none", 10).withEarlyStopping(new EarlyStopping(5, 0.001));
        List<String> lines = lines(format(search));
        assertEquals("Early stopping: a trial stops after 5 epochs without improving its best validation objective"
                + " by more than 0.001; test metrics and model from its best epoch", lines.get(1));

        SearchSettings without = settings("random", 3, "none", 10);
        assertFalse(format(without).contains("Early stopping"));
    }

    @Test
    void refitIsOneLineUnderTheHeaderAndOnlyWhenSet() {
        SearchSettings search = settings("random", 3, "none", 10).withRefit(true);
        List<String> lines = lines(format(search));
        assertEquals("Refit: the best trial is finally retrained on training + validation for its chosen epochs;"
                + " its test metrics are logged as refit_test_*", lines.get(1));
        SearchSettings without = settings("random", 3, "none", 10);
        assertFalse(format(without).contains("Refit"));
    }

    @Test
    void aPlanWithoutPromotionsHasNoBracketTable() {
        SearchSettings search = settings("random", 3, "none", 10);
        String text = format(search);

        assertFalse(text.contains("rung i"));
        assertTrue(lines(text).contains("epochs trained (promoted trials resume from checkpoints) 30"));
    }

    @Test
    void columnsAreAligned() {
        SearchSettings search = settings("random", null, "hyperband", 81);
        List<String> lines = format(search).lines().toList();
        int header = lines.indexOf(lines.stream().filter(l -> l.startsWith("trial ")).findFirst().orElseThrow());
        int hyperparameters = lines.get(header).indexOf("hyperparameters");

        for (String row : lines.subList(header + 1, header + 144)) {
            assertEquals(hyperparameters, row.indexOf("lr="), row);
        }
    }

    @Test
    void valuesAreRenderedCompactlyInNameOrder() {
        Map<String, Object> values = new TreeMap<>(Map.of(
                "rank", 32, "lr", 0.012345678, "dropout", 0.5, "l2", 1.5e-5, "act", "gelu", "units", List.of(64, 32)));

        assertEquals("act=gelu dropout=0.5 l2=1.5e-5 lr=0.01235 rank=32 units=[64,32]", PlanPrinter.values(values));
        assertEquals("(fixed parameters only)", PlanPrinter.values(Map.of()));
    }

    @Test
    void numbersKeepFourSignificantDigits() {
        assertEquals("0.0123", PlanPrinter.number(0.0123));
        assertEquals("123.5", PlanPrinter.number(123.456));
        assertEquals("0.0001", PlanPrinter.number(1e-4));
        assertEquals("9.877e-6", PlanPrinter.number(9.87654e-6));
        assertEquals("1.235e6", PlanPrinter.number(1234567.0));
        assertEquals("-0.25", PlanPrinter.number(-0.25));
        assertEquals("0", PlanPrinter.number(0.0));
    }

    @Test
    void anAsynchronousSearchPrintsItsRungsItsBoundsAndWhatIsDecidedAtRunTime() {
        String text = format(settings("random", 27, "asha", 27));
        List<String> lines = lines(text);

        assertTrue(lines.get(0).startsWith("Plan: up to 27 trials (sampler random, scheduler asha"), lines.get(0));
        assertTrue(text.contains("Rungs at 1, 3, 9, 27 epochs: a trial is promoted as soon as it is in the top 1/3 of its rung's results so far"), text);
        assertTrue(lines.contains("epochs trained (promoted trials resume from checkpoints) between 81 and 593"), text);
        assertTrue(lines.contains("Decided at run time: which trials are promoted, and when: the order results arrive in"), text);
        assertFalse(text.contains("rung i"), "no fixed bracket table");
    }
}
