package org.cinelab.search;

import org.cinelab.spec.ExperimentSpec.SearchSpec;

import java.math.BigDecimal;
import java.math.MathContext;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.stream.Collectors;

/**
 * Renders a {@link Plan} as aligned text before anything trains, so the budget is known in
 * advance: every trial with its seed and values, the bracket table when trials are promoted
 * through rungs, and the epochs the plan costs next to what running every trial in full would.
 */
public final class PlanPrinter {

    private static final MathContext FOUR_DIGITS = new MathContext(4);

    private PlanPrinter() {}

    public static String format(Plan plan, SearchSpec search) {
        List<TrialConfig> trials = plan.trials();
        StringBuilder out = new StringBuilder();
        out.append(String.format(Locale.ROOT, "Plan: %d trials in %d bracket%s (sampler %s, scheduler %s,"
                        + " max_epochs %d, eta %d, min_epochs %d)%n",
                trials.size(), plan.brackets().size(), plan.brackets().size() == 1 ? "" : "s",
                name(search.sampler()), name(search.scheduler()),
                search.maxEpochs(), search.eta(), search.minEpochs()));
        if (search.earlyStopping() != null) {
            out.append(String.format(Locale.ROOT, "Early stopping: a trial stops after %d epoch%s without improving its best"
                            + " validation objective by more than %s; test metrics and model from its best epoch%n",
                    search.earlyStopping().patience(), search.earlyStopping().patience() == 1 ? "" : "s",
                    number(search.earlyStopping().minDelta())));
        }
        if (search.refit()) {
            out.append("Refit: the best trial is finally retrained on training + validation for its chosen epochs;"
                    + " its test metrics are logged as refit_test_*").append(System.lineSeparator());
        }

        out.append(System.lineSeparator());
        List<String[]> trialRows = new ArrayList<>();
        trialRows.add(new String[] {"trial", "bracket", "seed", "hyperparameters"});
        for (TrialConfig t : trials) {
            trialRows.add(new String[] {t.id(), Integer.toString(t.bracket()), Long.toString(t.seed()), values(t.values())});
        }
        table(out, trialRows, new boolean[] {false, true, true, false});

        boolean promotes = plan.brackets().stream().anyMatch(b -> b.rungs().size() > 1);
        if (promotes) {
            out.append(System.lineSeparator());
            out.append("Brackets: rung i trains n_i trials to r_i epochs; the best n_(i+1) continue from their checkpoints")
                    .append(System.lineSeparator());
            List<String[]> rungRows = new ArrayList<>();
            rungRows.add(new String[] {"s", "rung i", "n_i", "r_i"});
            for (Bracket b : plan.brackets()) {
                for (Rung r : b.rungs()) {
                    rungRows.add(new String[] {Integer.toString(b.s()), Integer.toString(r.index()),
                            Integer.toString(r.configs()), Integer.toString(r.epochs())});
                }
            }
            table(out, rungRows, new boolean[] {true, true, true, true});
        }

        out.append(System.lineSeparator());
        List<String[]> totals = List.of(
                new String[] {"trials", Integer.toString(trials.size())},
                new String[] {"epochs trained (promoted trials resume from checkpoints)", Long.toString(plan.totalEpochs())},
                new String[] {"epochs if every trial ran max_epochs", Long.toString((long) trials.size() * search.maxEpochs())});
        table(out, totals, new boolean[] {false, true});
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

    private static String name(Enum<?> e) {
        return e.name().toLowerCase(Locale.ROOT).replace('_', '-');
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
