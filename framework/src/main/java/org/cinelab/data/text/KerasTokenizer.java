package org.cinelab.data.text;

import java.util.ArrayList;
import java.util.Collections;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalInt;

/**
 * Keras' {@code Tokenizer} (keras.preprocessing.text) with its default settings, so that sequences
 * match the studies' notebooks: lower-case, every character of {@link #FILTERS} replaced by a
 * space, split on spaces only (other whitespace such as {@code \r} stays inside words), empty
 * tokens dropped. Words are ranked by count, ties in order of first appearance (Python's stable
 * sort), and indexed from 1; an {@code oov_token} takes index 1. With {@code num_words}, sequences
 * keep only indices 1..num_words-1, though the word index keeps every word, as in Keras.
 */
public final class KerasTokenizer {
    /** Keras' default {@code filters}. */
    public static final String FILTERS = "!\"#$%&()*+,-./:;<=>?@[\\]^_`{|}~\t\n";

    private final int numWords;
    private final String oovToken;
    private final LinkedHashMap<String, Integer> wordCounts = new LinkedHashMap<>();
    private final LinkedHashMap<String, Integer> wordDocs = new LinkedHashMap<>();
    private Map<String, Integer> wordIndex = Map.of();
    private int documentCount;

    /** No word limit and no out-of-vocabulary token. */
    public KerasTokenizer() {
        this(0, null);
    }

    /**
     * @param numWords keep indices below this in sequences; 0 or less means no limit (Keras {@code None})
     * @param oovToken token for words outside the vocabulary, or null to drop them
     */
    public KerasTokenizer(int numWords, String oovToken) {
        this.numWords = Math.max(0, numWords);
        this.oovToken = oovToken;
    }

    /** Keras' {@code text_to_word_sequence} with the default filters, lower-casing and split. */
    public static List<String> textToWordSequence(String text) {
        String lower = text.toLowerCase(Locale.ROOT);
        List<String> words = new ArrayList<>();
        int start = 0;
        for (int i = 0; i <= lower.length(); i++) {
            if (i == lower.length() || lower.charAt(i) == ' ' || FILTERS.indexOf(lower.charAt(i)) >= 0) {
                if (i > start) words.add(lower.substring(start, i));
                start = i + 1;
            }
        }
        return words;
    }

    /** Counts the words of these texts (adding to earlier calls) and re-ranks the index. */
    public KerasTokenizer fitOnTexts(List<String> texts) {
        for (String text : texts) {
            documentCount++;
            List<String> seq = textToWordSequence(text);
            for (String w : seq) wordCounts.merge(w, 1, Integer::sum);
            for (String w : new HashSet<>(seq)) wordDocs.merge(w, 1, Integer::sum);
        }
        List<Map.Entry<String, Integer>> ranked = new ArrayList<>(wordCounts.entrySet());
        ranked.sort(Map.Entry.<String, Integer>comparingByValue().reversed());
        LinkedHashMap<String, Integer> index = new LinkedHashMap<>();
        int next = 1;
        if (oovToken != null) index.put(oovToken, next++);
        for (Map.Entry<String, Integer> e : ranked) index.put(e.getKey(), next++);
        wordIndex = Collections.unmodifiableMap(index);
        return this;
    }

    /** Keras' {@code texts_to_sequences}: word indices per text, unknown words dropped or mapped to the OOV index. */
    public List<int[]> textsToSequences(List<String> texts) {
        Integer oovIndex = oovToken == null ? null : wordIndex.get(oovToken);
        List<int[]> out = new ArrayList<>(texts.size());
        for (String text : texts) {
            List<String> seq = textToWordSequence(text);
            int[] vect = new int[seq.size()];
            int n = 0;
            for (String w : seq) {
                Integer i = wordIndex.get(w);
                if (i != null && (numWords == 0 || i < numWords)) {
                    vect[n++] = i;
                } else if (oovIndex != null) {
                    vect[n++] = oovIndex;
                }
            }
            out.add(n == vect.length ? vect : java.util.Arrays.copyOf(vect, n));
        }
        return out;
    }

    /** Word to index (1-based), in index order except for an OOV token that also occurs as a word. */
    public Map<String, Integer> wordIndex() { return wordIndex; }

    /** Word to number of occurrences, in order of first appearance. */
    public Map<String, Integer> wordCounts() { return Collections.unmodifiableMap(wordCounts); }

    /** Word to number of texts it occurs in. */
    public Map<String, Integer> wordDocs() { return Collections.unmodifiableMap(wordDocs); }

    public int documentCount() { return documentCount; }

    public OptionalInt numWords() { return numWords == 0 ? OptionalInt.empty() : OptionalInt.of(numWords); }

    public Optional<String> oovToken() { return Optional.ofNullable(oovToken); }

    /**
     * The size of an embedding or one-hot input for these sequences: the largest index that can
     * occur plus one, i.e. {@code num_words} when set, else the word index size plus one.
     */
    public int inputDimension() {
        int all = wordIndex.size() + 1;
        return numWords == 0 ? all : Math.min(numWords, all);
    }
}
