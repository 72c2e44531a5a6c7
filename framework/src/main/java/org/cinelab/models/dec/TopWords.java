package org.cinelab.models.dec;

import org.cinelab.data.text.EnglishStopWords;
import org.cinelab.data.text.TfidfVectorizer;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;

/**
 * The words that characterise each cluster, by class-based TF-IDF: a word's share of the cluster's
 * tokens times {@code ln(texts / texts containing the word)}. Texts are tokenised as the TF-IDF
 * representation is ({@link TfidfVectorizer#analyze}) and English stop words
 * ({@link EnglishStopWords}) are dropped, since otherwise "the", "his" and "when" rank high in
 * clusters that gathered long descriptions.
 */
final class TopWords {
    private TopWords() {}

    /** The {@code top} best-scoring words of each of the {@code k} clusters; ties go to the word first in code-point order. */
    static List<List<String>> byCluster(List<String> texts, int[] labels, int k, int top) {
        List<Map<String, Integer>> counts = new ArrayList<>();
        for (int c = 0; c < k; c++) counts.add(new HashMap<>());
        int[] totals = new int[k];
        Map<String, Integer> docs = new HashMap<>();
        for (int i = 0; i < texts.size(); i++) {
            List<String> tokens = TfidfVectorizer.analyze(texts.get(i)).stream().filter(t -> !EnglishStopWords.contains(t)).toList();
            for (String w : tokens) counts.get(labels[i]).merge(w, 1, Integer::sum);
            totals[labels[i]] += tokens.size();
            for (String w : new HashSet<>(tokens)) docs.merge(w, 1, Integer::sum);
        }
        List<List<String>> out = new ArrayList<>();
        for (int c = 0; c < k; c++) {
            double total = Math.max(1, totals[c]);
            Map<String, Double> score = new HashMap<>();
            counts.get(c).forEach((w, n) -> score.put(w, n / total * Math.log((double) texts.size() / docs.get(w))));
            out.add(score.entrySet().stream()
                    .sorted((a, b) -> a.getValue().equals(b.getValue()) ? a.getKey().compareTo(b.getKey()) : Double.compare(b.getValue(), a.getValue()))
                    .limit(top).map(Map.Entry::getKey).toList());
        }
        return out;
    }
}
