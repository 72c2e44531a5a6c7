package org.cinelab.data.text;

import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

class KerasTokenizerTest {
    /*
     * Keras by hand:
     *   "The cat sat on the mat."   -> the cat sat on the mat
     *   "The dog ate my homework!"  -> the dog ate my homework
     *   "Cat, dog; cat?"            -> cat dog cat
     * counts in first-appearance order: the 3, cat 3, sat 1, on 1, mat 1, dog 2, ate 1, my 1, homework 1
     * stable sort by count, descending: the, cat, dog, sat, on, mat, ate, my, homework -> indices 1..9
     * docs: the 2, cat 2, dog 2, every other word 1
     */
    private static final List<String> TEXTS = List.of("The cat sat on the mat.", "The dog ate my homework!", "Cat, dog; cat?");

    @Test
    void wordsAreLowerCasedStrippedOfPunctuationAndSplitOnSpaces() {
        assertEquals(List.of("don't", "e", "mail", "me", "tab", "new", "line"),
                KerasTokenizer.textToWordSequence("Don't e-mail ME!!  tab\tnew\nline"));
        assertEquals(List.of("a\rb", "c\u00a0d"), KerasTokenizer.textToWordSequence("a\rb c\u00a0d"),
                "only the space splits; \\r and no-break space stay inside words, as in Keras");
        assertEquals(List.of(), KerasTokenizer.textToWordSequence(" ...!? "));
    }

    @Test
    void wordsAreRankedByCountWithTiesInOrderOfFirstAppearance() {
        KerasTokenizer t = new KerasTokenizer().fitOnTexts(TEXTS);
        assertEquals(List.of("the", "cat", "dog", "sat", "on", "mat", "ate", "my", "homework"),
                List.copyOf(t.wordIndex().keySet()));
        assertEquals(List.of(1, 2, 3, 4, 5, 6, 7, 8, 9), List.copyOf(t.wordIndex().values()));
        assertEquals(Map.of("the", 2, "cat", 2, "dog", 2, "sat", 1, "on", 1, "mat", 1, "ate", 1, "my", 1, "homework", 1),
                t.wordDocs());
        assertEquals(3, t.wordCounts().get("cat"));
        assertEquals(3, t.documentCount());
        assertEquals(10, t.inputDimension());
    }

    @Test
    void sequencesDropUnknownWords() {
        // "the cat ate the dog" -> 1 2 7 1 3; "a new cat" -> a, new unknown -> 2
        List<int[]> seqs = new KerasTokenizer().fitOnTexts(TEXTS).textsToSequences(List.of("the cat ate the dog", "a new cat"));
        assertArrayEquals(new int[] {1, 2, 7, 1, 3}, seqs.get(0));
        assertArrayEquals(new int[] {2}, seqs.get(1));
    }

    @Test
    void numWordsKeepsIndicesBelowIt() {
        // num_words = 4 keeps 1..3 (the, cat, dog): "the cat ate the dog" -> 1 2 1 3
        KerasTokenizer t = new KerasTokenizer(4, null).fitOnTexts(TEXTS);
        List<int[]> seqs = t.textsToSequences(List.of("the cat ate the dog"));
        assertArrayEquals(new int[] {1, 2, 1, 3}, seqs.get(0));
        assertEquals(9, t.wordIndex().size(), "the word index keeps every word, as in Keras");
        assertEquals(4, t.inputDimension());
    }

    @Test
    void anOovTokenTakesIndexOneAndReplacesUnknownAndCutWords() {
        // index: <OOV> 1, the 2, cat 3, dog 4, sat 5, ...; num_words 4 keeps 1..3
        // "the cat ate the dog" -> 2 3 (ate: 8 >= 4) 1, 2, (dog: 4 >= 4) 1; "a new cat" -> 1 1 3
        KerasTokenizer t = new KerasTokenizer(4, "<OOV>").fitOnTexts(TEXTS);
        assertEquals(1, t.wordIndex().get("<OOV>"));
        assertEquals(2, t.wordIndex().get("the"));
        List<int[]> seqs = t.textsToSequences(List.of("the cat ate the dog", "a new cat"));
        assertArrayEquals(new int[] {2, 3, 1, 2, 1}, seqs.get(0));
        assertArrayEquals(new int[] {1, 1, 3}, seqs.get(1));
    }

    @Test
    void fittingTwiceAccumulatesCounts() {
        KerasTokenizer t = new KerasTokenizer().fitOnTexts(List.of("b a")).fitOnTexts(List.of("a"));
        // counts: b 1, a 2 -> a 1, b 2
        assertEquals(List.of("a", "b"), List.copyOf(t.wordIndex().keySet()));
        assertEquals(2, t.documentCount());
    }
}
