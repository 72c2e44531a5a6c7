package org.cinelab.data.text;

import org.junit.jupiter.api.Test;

import java.util.List;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

class TfidfVectorizerTest {
    /** The corpus of scikit-learn's TfidfVectorizer documentation. */
    private static final List<String> CORPUS = List.of("This is the first document.",
            "This document is the second document.", "And this is the third one.", "Is this the first document?");

    @Test
    void tokensAreLowerCaseRunsOfTwoOrMoreWordCharacters() {
        assertEquals(List.of("it", "café", "x_1", "42", "don"), TfidfVectorizer.analyze("I, it: Café x_1 42 don't"));
    }

    @Test
    void theScikitLearnDocumentationExampleGivesItsPublishedRow() {
        TfidfVectorizer v = new TfidfVectorizer();
        CsrMatrix x = v.fitTransform(CORPUS);
        assertEquals(List.of("and", "document", "first", "is", "one", "second", "the", "third", "this"),
                List.copyOf(v.vocabulary().keySet()));
        assertEquals(4, x.rows());
        assertEquals(9, x.columns());
        // scikit-learn prints X[0] as [0. 0.46979139 0.58028582 0.38408524 0. 0. 0.38408524 0. 0.38408524]
        assertArrayEquals(new double[] {0, 0.46979139, 0.58028582, 0.38408524, 0, 0, 0.38408524, 0, 0.38408524},
                x.denseRow(0), 5e-9);
        assertEquals(5, x.rowStart()[1], "row 0 stores its five non-zeros only");
    }

    @Test
    void idfIsSmoothedAndRowsHaveUnitLength() {
        // n = 3; "the" and "cat" occur in 2 documents, the rest in 1
        // idf(df=2) = ln(4/3) + 1; idf(df=1) = ln(4/2) + 1
        // row 0 = (cat, sat, the) = (a, b, a) / sqrt(2a^2 + b^2) with a = idf(2), b = idf(1)
        TfidfVectorizer v = new TfidfVectorizer();
        CsrMatrix x = v.fitTransform(List.of("the cat sat", "the cat ran away", "a dog"));
        assertEquals(List.of("away", "cat", "dog", "ran", "sat", "the"), List.copyOf(v.vocabulary().keySet()));
        double a = Math.log(4.0 / 3) + 1;
        double b = Math.log(4.0 / 2) + 1;
        assertArrayEquals(new double[] {b, a, b, b, b, a}, v.idf(), 1e-15);
        double norm = Math.sqrt(2 * a * a + b * b);
        assertArrayEquals(new double[] {0, a / norm, 0, 0, b / norm, a / norm}, x.denseRow(0), 1e-15);
        assertArrayEquals(new double[] {0, 0, 1, 0, 0, 0}, x.denseRow(2), 1e-15, "'a' is too short to be a token");
    }

    @Test
    void maxFeaturesKeepsTheMostFrequentTermsInVocabularyOrder() {
        // corpus term frequencies: apple 2, banana 2, cherry 4, date 1 -> 3 features drop "date"
        List<String> docs = List.of("apple apple banana", "banana cherry", "cherry cherry cherry date");
        TfidfVectorizer v = new TfidfVectorizer(3);
        CsrMatrix x = v.fitTransform(docs);
        assertEquals(List.of("apple", "banana", "cherry"), List.copyOf(v.vocabulary().keySet()));
        assertArrayEquals(new double[] {0, 0, 1}, x.denseRow(2), 1e-15, "row 2 is all cherry once date is gone");
        TfidfVectorizer one = new TfidfVectorizer(1);
        one.fit(docs);
        assertEquals(List.of("cherry"), List.copyOf(one.vocabulary().keySet()));
    }

    @Test
    void unseenDocumentsUseTheFittedVocabularyAndIdf() {
        TfidfVectorizer v = new TfidfVectorizer();
        v.fit(List.of("the cat sat", "the cat ran away", "a dog"));
        CsrMatrix x = v.transform(List.of("a new dog dog", "nothing known"));
        assertArrayEquals(new double[] {0, 0, 1, 0, 0, 0}, x.denseRow(0), 1e-15);
        assertEquals(0, x.rowStart()[2] - x.rowStart()[1], "a document with no known term is an empty row");
    }
}
