package org.cinelab.metrics;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * A confusion matrix with scikit-learn's {@code classification_report}: precision, recall, F1 and
 * support per class, accuracy, and macro and weighted averages (0 where a ratio is undefined, as
 * sklearn's {@code zero_division=0}). Text, metric map and CSV come from the same counts.
 */
public final class ClassificationReport {
    private final List<String> classNames;
    private final long[][] confusion;
    private final int n;

    /** @param truth and {@code predicted} index into {@code classNames} */
    public ClassificationReport(int[] truth, int[] predicted, List<String> classNames) {
        if (truth.length != predicted.length) throw new IllegalArgumentException("truth and predictions differ in length");
        this.classNames = List.copyOf(classNames);
        this.confusion = new long[classNames.size()][classNames.size()];
        this.n = truth.length;
        for (int i = 0; i < truth.length; i++) confusion[truth[i]][predicted[i]]++;
    }

    /** Rows are true classes, columns predicted classes. */
    public long[][] confusion() { return confusion; }

    public List<String> classNames() { return classNames; }

    public long support(int c) {
        long s = 0;
        for (long v : confusion[c]) s += v;
        return s;
    }

    public double precision(int c) {
        long predicted = 0;
        for (long[] row : confusion) predicted += row[c];
        return predicted == 0 ? 0 : (double) confusion[c][c] / predicted;
    }

    public double recall(int c) {
        long s = support(c);
        return s == 0 ? 0 : (double) confusion[c][c] / s;
    }

    public double f1(int c) {
        double p = precision(c), r = recall(c);
        return p + r == 0 ? 0 : 2 * p * r / (p + r);
    }

    public double accuracy() {
        long correct = 0;
        for (int c = 0; c < confusion.length; c++) correct += confusion[c][c];
        return n == 0 ? 0 : (double) correct / n;
    }

    /** Classes with support or predictions: sklearn reports the labels present in either. */
    private boolean present(int c) {
        if (support(c) > 0) return true;
        for (long[] row : confusion) if (row[c] > 0) return true;
        return false;
    }

    private double average(java.util.function.IntToDoubleFunction f, boolean weighted) {
        double sum = 0, weights = 0;
        for (int c = 0; c < confusion.length; c++) {
            if (!present(c)) continue;
            double w = weighted ? support(c) : 1;
            sum += w * f.applyAsDouble(c);
            weights += w;
        }
        return weights == 0 ? 0 : sum / weights;
    }

    public double macroPrecision() { return average(this::precision, false); }
    public double macroRecall() { return average(this::recall, false); }
    public double macroF1() { return average(this::f1, false); }
    public double weightedPrecision() { return average(this::precision, true); }
    public double weightedRecall() { return average(this::recall, true); }
    public double weightedF1() { return average(this::f1, true); }

    /** accuracy, macro_/weighted_ precision, recall, f1, then per class {@code f1_<class>} etc. */
    public Map<String, Double> asMap(boolean perClass) {
        Map<String, Double> m = new LinkedHashMap<>();
        m.put("accuracy", accuracy());
        m.put("macro_precision", macroPrecision());
        m.put("macro_recall", macroRecall());
        m.put("macro_f1", macroF1());
        m.put("weighted_precision", weightedPrecision());
        m.put("weighted_recall", weightedRecall());
        m.put("weighted_f1", weightedF1());
        if (perClass) {
            for (int c = 0; c < confusion.length; c++) {
                if (!present(c)) continue;
                String key = metricSafe(classNames.get(c));
                m.put("precision_" + key, precision(c));
                m.put("recall_" + key, recall(c));
                m.put("f1_" + key, f1(c));
            }
        }
        return m;
    }

    /** The report as sklearn prints it, two decimals. */
    public String text() {
        int width = Math.max(12, classNames.stream().mapToInt(String::length).max().orElse(0));
        StringBuilder b = new StringBuilder();
        String head = "%" + width + "s %9s %9s %9s %9s%n";
        String row = "%" + width + "s %9.2f %9.2f %9.2f %9d%n";
        b.append(String.format(Locale.ROOT, head, "", "precision", "recall", "f1-score", "support")).append('\n');
        for (int c = 0; c < confusion.length; c++) {
            if (present(c)) b.append(String.format(Locale.ROOT, row, classNames.get(c), precision(c), recall(c), f1(c), support(c)));
        }
        b.append('\n');
        b.append(String.format(Locale.ROOT, "%" + width + "s %9s %9s %9.2f %9d%n", "accuracy", "", "", accuracy(), n));
        b.append(String.format(Locale.ROOT, row, "macro avg", macroPrecision(), macroRecall(), macroF1(), n));
        b.append(String.format(Locale.ROOT, row, "weighted avg", weightedPrecision(), weightedRecall(), weightedF1(), n));
        return b.toString();
    }

    /** Confusion matrix CSV: header {@code true\predicted,<classes>}, one row per true class. */
    public String confusionCsv() {
        StringBuilder b = new StringBuilder("true\\predicted");
        for (String c : classNames) b.append(',').append(csv(c));
        b.append('\n');
        for (int r = 0; r < confusion.length; r++) {
            b.append(csv(classNames.get(r)));
            for (long v : confusion[r]) b.append(',').append(v);
            b.append('\n');
        }
        return b.toString();
    }

    private static String csv(String s) {
        return s.contains(",") || s.contains("\"") ? '"' + s.replace("\"", "\"\"") + '"' : s;
    }

    /** MLflow metric keys allow letters, digits, and {@code _-./ }; everything else becomes '_'. */
    static String metricSafe(String s) {
        return s.replaceAll("[^A-Za-z0-9_\\-./]", "_");
    }
}
