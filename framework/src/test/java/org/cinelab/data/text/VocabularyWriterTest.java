package org.cinelab.data.text;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

class VocabularyWriterTest {
    private static KerasTokenizer fitted() {
        // counts: the 2, cat 2, sat 1 -> <OOV> 1, the 2, cat 3, sat 4; num_words 4 keeps indices 1..3
        return new KerasTokenizer(4, "<OOV>").fitOnTexts(List.of("The cat sat.", "the cat"));
    }

    @Test
    void theTsvListsEveryWordInIndexOrder(@TempDir Path dir) throws Exception {
        Path file = dir.resolve("vocabulary.tsv");
        VocabularyWriter.writeTsv(fitted(), file);
        assertEquals("""
                index\tword\tcount\tdocs\tkept
                1\t<OOV>\t0\t0\ttrue
                2\tthe\t2\t2\ttrue
                3\tcat\t2\t2\ttrue
                4\tsat\t1\t1\tfalse
                """, Files.readString(file));
        try (var files = Files.list(dir)) {
            assertEquals(1, files.count(), "no temporary file left behind");
        }
    }

    @Test
    void theJsonCarriesTheSettingsAndTheWords(@TempDir Path dir) throws Exception {
        Path file = dir.resolve("vocabulary.json");
        VocabularyWriter.writeJson(fitted(), file);
        JsonNode json = new ObjectMapper().readTree(file.toFile());
        assertEquals(4, json.get("num_words").asInt());
        assertEquals("<OOV>", json.get("oov_token").asText());
        assertEquals(2, json.get("document_count").asInt());
        assertEquals(4, json.get("words").size());
        JsonNode cat = json.get("words").get(2);
        assertEquals("cat", cat.get("word").asText());
        assertEquals(3, cat.get("index").asInt());
        assertEquals(2, cat.get("count").asInt());
        assertTrue(cat.get("kept").asBoolean());
    }

    @Test
    void tfidfTermsAreWrittenWithTheirIdf(@TempDir Path dir) throws Exception {
        TfidfVectorizer v = new TfidfVectorizer();
        v.fit(List.of("cat dog", "cat"));
        Path file = dir.resolve("tfidf.tsv");
        VocabularyWriter.writeTsv(v, file);
        // idf(cat) = ln(3/3) + 1 = 1; idf(dog) = ln(3/2) + 1
        assertEquals("column\tterm\tidf\n0\tcat\t1.0\n1\tdog\t" + (Math.log(1.5) + 1) + "\n", Files.readString(file));
    }

    @Test
    void tabsAndLineBreaksInWordsAreEscaped() {
        assertEquals("a\\tb\\rc\\\\", VocabularyWriter.escape("a\tb\rc\\"));
    }
}
