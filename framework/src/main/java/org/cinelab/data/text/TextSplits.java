package org.cinelab.data.text;

import org.cinelab.data.PreparedData;
import org.cinelab.data.netflix.NetflixTitles;

import java.nio.file.Path;
import java.util.List;
import java.util.Map;

/**
 * A text dataset cut into train, validation and test, with the texts already turned into model
 * input by a pipeline fitted on the training texts only (so validation and test words outside the
 * training vocabulary are dropped, and scaling uses training minima and maxima).
 *
 * @param titles          the (cleaned, type-filtered) table every part's {@code rows} index into,
 *                        for columns other than the text and the label
 * @param train           the training part
 * @param validation      the validation part, carved like test from the whole table
 * @param test            the test part
 * @param representation  {@code sequences} (padded word indices, dense) or {@code tfidf} (sparse)
 * @param featureCount    columns of a feature row: the padded length for sequences, the
 *                        vocabulary size for tf-idf
 * @param vocabularySize  for sequences, the input size of an embedding (largest possible word
 *                        index + 1, i.e. {@code num_words} when set); for tf-idf, the term count
 * @param labelNames      class names in label order (sorted); a part's {@code labels[i]} indexes
 *                        this list. Built from every row, so no test class is unknown
 * @param params          how the data was loaded, cleaned, split and vectorised (run params)
 * @param dataSha256      SHA-256 of the CSV file read
 * @param splitId         hash of the data checksum and {@code params}
 * @param artifacts       the fitted vocabulary as a TSV ({@code vocabulary.tsv}), logged on the
 *                        parent run under {@code data/}
 */
public record TextSplits(NetflixTitles titles, Part train, Part validation, Part test, String representation,
                         int featureCount, int vocabularySize, List<String> labelNames, Map<String, String> params,
                         String dataSha256, String splitId, Map<String, Path> artifacts) implements PreparedData {

    public static final String SEQUENCES = "sequences";
    public static final String TFIDF = "tfidf";

    /**
     * One part of the split.
     *
     * @param rows    rows of {@link TextSplits#titles()}, ascending
     * @param texts   the text column of those rows
     * @param labels  class index per row, into {@link TextSplits#labelNames()}
     * @param dense   sequences: one float row of {@code featureCount} per text (min-max scaled to
     *                [0, 1] on the training rows when {@code scale} is on, else the word indices
     *                themselves); null for tf-idf
     * @param sparse  tf-idf: a {@code rows x featureCount} matrix with unit-L2 rows (times sqrt(featureCount) with
     *                dataset option tfidf_scale: sqrt_features); null for sequences
     */
    public record Part(int[] rows, List<String> texts, int[] labels, float[][] dense, CsrMatrix sparse) {
        public int size() { return rows.length; }
    }
}
