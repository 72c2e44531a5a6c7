package org.cinelab.data.text;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;

/**
 * scikit-learn's {@code TfidfVectorizer} with its defaults: lower-case; tokens are runs of two or
 * more word characters (letters, digits, underscore: the pattern {@code (?u)\b\w\w+\b});
 * vocabulary in code-point order; raw counts times the smoothed
 * {@code idf = ln((1 + n) / (1 + df)) + 1}; each row scaled to unit L2 norm. With
 * {@code maxFeatures}, only the terms most frequent over the whole corpus are kept (ties go to the
 * term first in vocabulary order, where scikit-learn leaves them to numpy's unstable argsort).
 * Output is sparse.
 */
public final class TfidfVectorizer {
    private final int maxFeatures;
    private Map<String, Integer> vocabulary;
    private double[] idf;

    /** No feature limit. */
    public TfidfVectorizer() {
        this(0);
    }

    /** @param maxFeatures keep this many most frequent terms; 0 or less keeps all */
    public TfidfVectorizer(int maxFeatures) {
        this.maxFeatures = Math.max(0, maxFeatures);
    }

    /** scikit-learn's default analyzer: lower-case, then maximal runs of at least two word characters. */
    public static List<String> analyze(String document) {
        String text = document.toLowerCase(Locale.ROOT);
        List<String> tokens = new ArrayList<>();
        int start = -1;
        int length = 0;
        for (int i = 0; i <= text.length(); ) {
            int cp = i < text.length() ? text.codePointAt(i) : ' ';
            if (i < text.length() && isWordChar(cp)) {
                if (start < 0) start = i;
                length++;
            } else {
                if (start >= 0 && length >= 2) tokens.add(text.substring(start, i));
                start = -1;
                length = 0;
            }
            i += i < text.length() ? Character.charCount(cp) : 1;
        }
        return tokens;
    }

    /** Python's {@code \w} for str patterns: alphanumeric (letters and numbers of any script) or underscore. */
    private static boolean isWordChar(int cp) {
        if (cp == '_' || Character.isLetter(cp)) return true;
        int type = Character.getType(cp);
        return type == Character.DECIMAL_DIGIT_NUMBER || type == Character.LETTER_NUMBER || type == Character.OTHER_NUMBER;
    }

    public TfidfVectorizer fit(List<String> documents) {
        fitTransform(documents);
        return this;
    }

    public CsrMatrix fitTransform(List<String> documents) {
        List<Map<String, Integer>> counts = documents.stream().map(TfidfVectorizer::termCounts).toList();
        Map<String, long[]> stats = new TreeMap<>(TfidfVectorizer::compareCodePoints);
        for (Map<String, Integer> doc : counts) {
            for (Map.Entry<String, Integer> e : doc.entrySet()) {
                long[] s = stats.computeIfAbsent(e.getKey(), k -> new long[2]);
                s[0] += e.getValue();
                s[1]++;
            }
        }
        List<String> terms = new ArrayList<>(stats.keySet());
        if (terms.isEmpty()) {
            throw new IllegalArgumentException("empty vocabulary: the documents hold no token of two or more word characters");
        }
        if (maxFeatures > 0 && terms.size() > maxFeatures) {
            List<String> byFrequency = new ArrayList<>(terms);
            byFrequency.sort((a, b) -> Long.compare(stats.get(b)[0], stats.get(a)[0]));
            terms = new ArrayList<>(byFrequency.subList(0, maxFeatures));
            terms.sort(TfidfVectorizer::compareCodePoints);
        }
        LinkedHashMap<String, Integer> vocab = new LinkedHashMap<>();
        idf = new double[terms.size()];
        int n = documents.size();
        for (int j = 0; j < terms.size(); j++) {
            vocab.put(terms.get(j), j);
            idf[j] = Math.log((1.0 + n) / (1.0 + stats.get(terms.get(j))[1])) + 1.0;
        }
        vocabulary = Collections.unmodifiableMap(vocab);
        return weigh(counts);
    }

    public CsrMatrix transform(List<String> documents) {
        if (vocabulary == null) throw new IllegalStateException("transform before fit");
        return weigh(documents.stream().map(TfidfVectorizer::termCounts).toList());
    }

    private CsrMatrix weigh(List<Map<String, Integer>> counts) {
        int[] rowStart = new int[counts.size() + 1];
        List<int[]> rowColumns = new ArrayList<>();
        List<double[]> rowValues = new ArrayList<>();
        for (int r = 0; r < counts.size(); r++) {
            int[] cols = counts.get(r).keySet().stream().filter(vocabulary::containsKey)
                    .mapToInt(vocabulary::get).sorted().toArray();
            Map<Integer, Integer> byColumn = new HashMap<>();
            counts.get(r).forEach((term, c) -> {
                Integer j = vocabulary.get(term);
                if (j != null) byColumn.put(j, c);
            });
            double[] vals = new double[cols.length];
            double sumSquares = 0;
            for (int k = 0; k < cols.length; k++) {
                vals[k] = byColumn.get(cols[k]) * idf[cols[k]];
                sumSquares += vals[k] * vals[k];
            }
            double norm = Math.sqrt(sumSquares);
            if (norm > 0) for (int k = 0; k < vals.length; k++) vals[k] /= norm;
            rowColumns.add(cols);
            rowValues.add(vals);
            rowStart[r + 1] = rowStart[r] + cols.length;
        }
        int[] columnIndex = new int[rowStart[counts.size()]];
        double[] values = new double[columnIndex.length];
        for (int r = 0; r < counts.size(); r++) {
            System.arraycopy(rowColumns.get(r), 0, columnIndex, rowStart[r], rowColumns.get(r).length);
            System.arraycopy(rowValues.get(r), 0, values, rowStart[r], rowValues.get(r).length);
        }
        return new CsrMatrix(counts.size(), vocabulary.size(), rowStart, columnIndex, values);
    }

    private static Map<String, Integer> termCounts(String document) {
        Map<String, Integer> counts = new HashMap<>();
        for (String t : analyze(document)) counts.merge(t, 1, Integer::sum);
        return counts;
    }

    /** Python's string order: by code point, not UTF-16 unit. */
    static int compareCodePoints(String a, String b) {
        return Arrays.compare(a.codePoints().toArray(), b.codePoints().toArray());
    }

    /** Term to column, in column order. */
    public Map<String, Integer> vocabulary() {
        if (vocabulary == null) throw new IllegalStateException("vocabulary before fit");
        return vocabulary;
    }

    /** scikit-learn's {@code idf_}, by column. */
    public double[] idf() {
        if (idf == null) throw new IllegalStateException("idf before fit");
        return idf.clone();
    }
}
