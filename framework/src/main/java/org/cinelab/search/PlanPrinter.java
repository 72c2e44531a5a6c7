package org.cinelab.search;


import java.math.BigDecimal;
import java.math.MathContext;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.stream.Collectors;

/**
 * Renders a search before anything trains, so the budget is known in advance: every trial whose
 * values are known with its seed, the bracket table when trials are promoted through fixed rungs,
 * the rungs of an asynchronous scheduler, and the epochs the search costs (exactly, or its bounds
 * and what is decided at run time) next to what running every trial in full would.
 */
public final class PlanPrinter {

    private static final MathContext FOUR_DIGITS = new MathContext(4);

    private PlanPrinter() {}

    public static String format(Search search) {
        SearchSettings s = search.settings();
        Scheduler scheduler = search.scheduler();
        List<Search.PlannedTrial> trials = search.preview();
        List<BracketShape> brackets = scheduler.brackets();
        String nl = System.lineSeparator();
        StringBuilder out = new StringBuilder();
        String count = brackets.isEmpty() ? "up to " + trials.size() + " trials"
                : trials.size() + " trials in " + brackets.size() + " bracket" + (brackets.size() == 1 ? "" : "s");
        out.append(String.format(Locale.ROOT, "Plan: %s (sampler %s, scheduler %s, max_epochs %d, eta %d, min_epochs %d)%n",
                count, s.sampler(), scheduler.name(), s.maxEpochs(), s.eta(), s.minEpochs()));
        if (s.earlyStopping() != null) {
            out.append(String.format(Locale.ROOT, "Early stopping: a trial stops after %d epoch%s without improving its best"
                            + " validation objective by more than %s; test metrics and model from its best epoch%n",
                    s.earlyStopping().patience(), s.earlyStopping().patience() == 1 ? "" : "s",
                    number(s.earlyStopping().minDelta())));
        }
        if (s.refit()) {
            out.append("Refit: the best trial is finally retrained on training + validation for its chosen epochs;"
                    + " its test metrics are logged as refit_test_*").append(nl);
        }

        out.append(nl);
        List<String[]> trialRows = new ArrayList<>();
        trialRows.add(new String[] {"trial", "bracket", "seed", "hyperparameters"});
        int unknownFrom = -1;
        for (Search.PlannedTrial t : trials) {
            if (t.values() == null) {
                if (unknownFrom < 0) unknownFrom = trialRows.size() - 1;
                continue;
            }
            trialRows.add(new String[] {t.id(), Integer.toString(t.bracket()), Long.toString(t.seed()), values(t.values())});
        }
        table(out, trialRows, new boolean[] {false, true, true, false});
        if (unknownFrom >= 0) {
            out.append(String.format(Locale.ROOT, "%s..%s: values decided at run time (sampler %s learns from the results so far)%n",
                    trials.get(unknownFrom).id(), trials.get(trials.size() - 1).id(), s.sampler()));
        }

        boolean promotes = brackets.stream().anyMatch(b -> b.rungs().size() > 1);
        if (promotes) {
            out.append(nl);
            out.append("Brackets: rung i trains n_i trials to r_i epochs; the best n_(i+1) continue from their checkpoints").append(nl);
            List<String[]> rungRows = new ArrayList<>();
            rungRows.add(new String[] {"s", "rung i", "n_i", "r_i"});
            for (BracketShape b : brackets) {
                for (Rung r : b.rungs()) {
                    rungRows.add(new String[] {Integer.toString(b.s()), Integer.toString(r.index()),
                            Integer.toString(r.configs()), Integer.toString(r.epochs())});
                }
            }
            table(out, rungRows, new boolean[] {true, true, true, true});
        }
        if (scheduler instanceof AshaScheduler asha) {
            out.append(nl).append(String.format(Locale.ROOT, "Rungs at %s epochs: a trial is promoted as soon as it is in the"
                    + " top 1/%d of its rung's results so far; no rung waits for its slowest trial%n",
                    asha.rungEpochs().stream().map(String::valueOf).collect(Collectors.joining(", ")), s.eta()));
        }

        out.append(nl);
        Scheduler.Budget budget = scheduler.budget();
        String trained = budget.exact() ? Long.toString(budget.maxEpochs())
                : "between " + budget.minEpochs() + " and " + budget.maxEpochs();
        List<String[]> totals = new ArrayList<>();
        totals.add(new String[] {"trials", Integer.toString(trials.size())});
        totals.add(new String[] {"epochs trained (promoted trials resume from checkpoints)"
                + (s.earlyStopping() != null ? ", at most" : ""), trained});
        totals.add(new String[] {"epochs if every trial ran max_epochs", Long.toString((long) trials.size() * s.maxEpochs())});
        table(out, totals, new boolean[] {false, true});
        out.append("Decided at run time: ").append(budget.decidedAtRunTime())
                .append(s.earlyStopping() != null ? "; which trials stop early" : "").append(nl);
        return out.toString();
    }

    /** {@code lr=0.0123 rank=32}: names in order, reals to four significant digits. */
    public static String values(Map<String, Object> values) {
        if (values.isEmpty()) return "(fixed parameters only)";
        return values.entrySet().stream()
                .map(e -> e.getKey() + "=" + value(e.getValue()))
                .collect(Collectors.joining(" "));
    }

    static String value(Object v) {
        if (v instanceof Double || v instanceof Float) return number(((Number) v).doubleValue());
        if (v instanceof List<?> list) {
            return list.stream().map(PlanPrinter::value).collect(Collectors.joining(",", "[", "]"));
        }
        return String.valueOf(v);
    }

    /** 0.0123, 12.35, 1.5e-05 -> 1.5e-5: at most four significant digits, scientific outside [1e-4, 1e6). */
    static String number(double v) {
        if (v == 0 || Double.isNaN(v) || Double.isInfinite(v)) return v == 0 ? "0" : Double.toString(v);
        BigDecimal rounded = BigDecimal.valueOf(v).round(FOUR_DIGITS).stripTrailingZeros();
        int exponent = rounded.precision() - rounded.scale() - 1;
        if (exponent >= -4 && exponent < 6) return rounded.toPlainString();
        return rounded.movePointLeft(exponent).toPlainString() + "e" + exponent;
    }

    private static void table(StringBuilder out, List<String[]> rows, boolean[] rightAligned) {
        int columns = rightAligned.length;
        int[] widths = new int[columns];
        for (String[] row : rows) {
            for (int c = 0; c < columns; c++) widths[c] = Math.max(widths[c], row[c].length());
        }
        for (String[] row : rows) {
            StringBuilder line = new StringBuilder();
            for (int c = 0; c < columns; c++) {
                if (c > 0) line.append("  ");
                boolean last = c == columns - 1;
                String cell = row[c];
                String pad = " ".repeat(widths[c] - cell.length());
                line.append(rightAligned[c] ? pad + cell : last ? cell : cell + pad);
            }
            out.append(line).append(System.lineSeparator());
        }
    }
}
