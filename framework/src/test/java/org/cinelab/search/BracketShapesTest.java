package org.cinelab.search;

import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class BracketShapesTest {

    /** Each bracket as "s: (n_0,r_0)(n_1,r_1)...", the way Table 1 of the paper lists them. */
    private static List<String> table(List<BracketShape> brackets) {
        List<String> rows = new ArrayList<>();
        for (BracketShape b : brackets) {
            StringBuilder row = new StringBuilder(b.s() + ":");
            for (Rung r : b.rungs()) row.append(" (").append(r.configs()).append(",").append(r.epochs()).append(")");
            rows.add(row.toString());
        }
        return rows;
    }

    @Test
    void r81Eta3MatchesTable1OfThePaper() {
        assertEquals(4, BracketShapes.sMax(81, 3, 1));
        assertEquals(List.of(
                "4: (81,1) (27,3) (9,9) (3,27) (1,81)",
                "3: (34,3) (11,9) (3,27) (1,81)",
                "2: (15,9) (5,27) (1,81)",
                "1: (8,27) (2,81)",
                "0: (5,81)"), table(BracketShapes.hyperband(81, 3, 1)));
    }

    @Test
    void rungsAreNumberedFromZeroWithinEachBracket() {
        for (BracketShape b : BracketShapes.hyperband(81, 3, 1)) {
            for (int i = 0; i < b.rungs().size(); i++) assertEquals(i, b.rungs().get(i).index());
        }
    }

    @Test
    void r81Eta3Trains143TrialsFor1581EpochsWhenPromotedTrialsResume() {
        List<BracketShape> brackets = BracketShapes.hyperband(81, 3, 1);
        int trials = brackets.stream().mapToInt(BracketShape::trials).sum();

        assertEquals(143, trials);
        // s=4: 81 + 27*2 + 9*6 + 3*18 + 54 = 297; s=3: 276; s=2: 279; s=1: 324; s=0: 405
        assertEquals(1581, BracketShapes.epochs(brackets));
    }

    @Test
    void minEpochsIsTheResourceUnitSoR27WithMinEpochs2SpansEpochs2To54() {
        List<BracketShape> hyperband = BracketShapes.hyperband(54, 3, 2);

        assertEquals(3, BracketShapes.sMax(54, 3, 2));
        assertEquals(List.of(
                "3: (27,2) (9,6) (3,18) (1,54)",
                "2: (12,6) (4,18) (1,54)",
                "1: (6,18) (2,54)",
                "0: (4,54)"), table(hyperband));
    }

    @Test
    void whenMinEpochsDoesNotDivideMaxEpochsTheLastRungStillReachesMaxEpochs() {
        List<BracketShape> hyperband = BracketShapes.hyperband(55, 3, 2);

        assertEquals(3, BracketShapes.sMax(55, 3, 2));
        assertEquals(List.of(
                "3: (27,2) (9,6) (3,18) (1,55)",
                "2: (12,6) (4,18) (1,55)",
                "1: (6,18) (2,55)",
                "0: (4,55)"), table(hyperband));
    }

    @Test
    void whenRIsNotAPowerOfEtaRungsAreRoundedToTheNearestEpoch() {
        // R = 100, s_max = 4 (81 <= 100 < 243), B = 500; bracket 4 trains to 100/81, 100/27, 100/9, 100/3, 100
        List<String> rows = table(BracketShapes.hyperband(100, 3, 1));

        assertEquals("4: (81,1) (27,4) (9,11) (3,33) (1,100)", rows.get(0));
        assertEquals("0: (5,100)", rows.get(4));
    }

    @Test
    void everyBracketStartsAtMinEpochsOrMoreGrowsStrictlyAndEndsAtMaxEpochs() {
        for (int eta = 2; eta <= 5; eta++) {
            for (int min = 1; min <= 5; min++) {
                for (int max = min; max <= 300; max++) {
                    for (BracketShape b : BracketShapes.hyperband(max, eta, min)) {
                        String where = "max=" + max + " eta=" + eta + " min=" + min + " s=" + b.s();
                        List<Rung> rungs = b.rungs();
                        assertTrue(rungs.get(0).epochs() >= min, where);
                        assertEquals(max, rungs.get(rungs.size() - 1).epochs(), where);
                        for (int i = 1; i < rungs.size(); i++) {
                            assertTrue(rungs.get(i).epochs() > rungs.get(i - 1).epochs(), where);
                            assertTrue(rungs.get(i).configs() >= 1, where);
                            assertTrue(rungs.get(i).configs() <= rungs.get(i - 1).configs(), where);
                        }
                    }
                }
            }
        }
    }

    @Test
    void maxEpochsEqualToMinEpochsIsOneBracketOfOneRung() {
        assertEquals(List.of("0: (1,4)"), table(BracketShapes.hyperband(4, 3, 4)));
    }

    @Test
    void badBudgetsNameTheSpecField() {
        assertTrue(assertThrows(IllegalArgumentException.class, () -> BracketShapes.hyperband(81, 1, 1))
                .getMessage().startsWith("search.eta:"));
        assertTrue(assertThrows(IllegalArgumentException.class, () -> BracketShapes.hyperband(10, 3, 11))
                .getMessage().startsWith("search.min_epochs:"));
        assertTrue(assertThrows(IllegalArgumentException.class, () -> BracketShapes.hyperband(0, 3, 1))
                .getMessage().startsWith("search.max_epochs:"));
    }
}
