package org.cinelab.models.dec;

import org.cinelab.data.text.EnglishStopWords;
import org.junit.jupiter.api.Test;

import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

class TopWordsTest {
    @Test
    void function_words_never_rank_and_each_cluster_is_named_by_its_content_words() {
        List<String> texts = List.of(
                "The detective chases the killer.", "A detective and his partner track a killer.",
                "When the killer strikes, the detective is ready.",
                "A couple falls in love at their wedding.", "Love blooms at a wedding in the city.", "Their love survives the wedding.");
        List<List<String>> top = TopWords.byCluster(texts, new int[] {0, 0, 0, 1, 1, 1}, 2, 3);
        // detective and killer in every title of cluster 0 but no other; then ties of single words, alphabetically
        assertEquals(List.of("detective", "killer", "chases"), top.get(0));
        assertEquals(List.of("love", "wedding", "blooms"), top.get(1));
        for (List<String> words : top) for (String w : words) assertTrue(!EnglishStopWords.contains(w), w);
    }

    @Test
    void the_list_is_scikit_learns() {
        assertEquals(317, EnglishStopWords.all().size(), "318 entries with 'amongst' twice");
        for (String w : List.of("the", "his", "when", "their", "a", "whereupon", "yourselves")) assertTrue(EnglishStopWords.contains(w), w);
        for (String w : List.of("love", "murder", "family", "world")) assertTrue(!EnglishStopWords.contains(w), w);
    }
}
