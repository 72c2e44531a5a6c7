package org.cinelab.data.sets;

import org.cinelab.data.Checksums;
import org.cinelab.data.DatasetProvider;
import org.cinelab.data.DatasetRequest;
import org.cinelab.data.PreparedData;
import org.cinelab.data.catalog.DatasetException;
import org.cinelab.data.catalog.DatasetInstaller;
import org.cinelab.data.netflix.NetflixTitles;
import org.cinelab.data.netflix.NetflixTitles.Column;
import org.cinelab.data.netflix.TitlesCleaning;
import org.cinelab.data.split.Holdout;
import org.cinelab.data.split.IndexSplit;
import org.cinelab.data.SplitId;
import org.cinelab.data.text.CsrMatrix;
import org.cinelab.data.text.KerasTokenizer;
import org.cinelab.data.text.MinMaxScaler;
import org.cinelab.data.text.PadSequences;
import org.cinelab.data.text.TextSplits;
import org.cinelab.data.text.TfidfVectorizer;
import org.cinelab.data.text.VocabularyWriter;
import org.cinelab.space.HyperParameter;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.EnumSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;

/**
 * The Kaggle Netflix titles catalogue as texts for classification and clustering: one of the two
 * known versions (7,787 or 8,807 rows), optionally cleaned as in the study ({@link TitlesCleaning}),
 * cut 80/10/10 by a seeded shuffle (6,229 / 779 / 779 of 7,787), and the text column turned into
 * padded Keras word-index sequences (min-max scaled by default) or a TF-IDF matrix, fitted on the
 * training texts only. The fitted vocabulary becomes a run artifact. Login-only: a missing folder
 * stops with the {@code cinelab datasets import} command.
 */
public final class NetflixTitlesDataset implements DatasetProvider {
    public static final String NAME = "netflix-titles";
    static final Set<Column> MULTI_VALUED = EnumSet.of(Column.DIRECTOR, Column.CAST, Column.COUNTRY, Column.LISTED_IN);
    private static final List<String> COLUMNS = Arrays.stream(Column.values()).map(Column::header).toList();

    public String name() { return NAME; }
    public Class<? extends PreparedData> dataType() { return TextSplits.class; }
    public List<String> splits() { return List.of("random"); }

    public List<HyperParameter> options() {
        return List.of(
                HyperParameter.integer("version", 7787, 7787, 8807, "which catalogue: 7787 (early 2021) or 8807 rows (September 2021)"),
                HyperParameter.flag("clean", false, "the study's cleaning: director 'No Data', drop rows with other missing cells, drop duplicates"),
                HyperParameter.choice("type", "all", List.of("all", "Movie", "TV Show"), "keep only this type of title"),
                HyperParameter.choice("text_column", "description", COLUMNS, "the column turned into model input"),
                HyperParameter.choice("label_column", "listed_in", COLUMNS,
                        "the class column; for director, cast, country and listed_in the first listed value"),
                HyperParameter.choice("representation", TextSplits.SEQUENCES, List.of(TextSplits.SEQUENCES, TextSplits.TFIDF),
                        "padded Keras word-index sequences or a TF-IDF matrix"),
                HyperParameter.integer("num_words", 10_000, 0, 10_000_000, "sequences: keep word indices below this (0 = every word)"),
                HyperParameter.integer("maxlen", 1500, 0, 1_000_000, "sequences: pad or cut (at the front) to this length (0 = longest training text)"),
                HyperParameter.flag("scale", true, "sequences: min-max scale each position to [0, 1] on the training rows"),
                HyperParameter.integer("max_features", 0, 0, 10_000_000, "tfidf: keep the most frequent terms (0 = all)"),
                HyperParameter.choice("tfidf_scale", "unit", List.of("unit", "sqrt_features"),
                        "tfidf: unit-L2 rows (scikit-learn), or rows times sqrt(columns) so a value's mean square is about 1"
                                + " (DEC's REUTERS input, Xie et al. 2016)"),
                HyperParameter.real("test_ratio", 0.1, 0.0, 0.9, "share of rows held out for test"),
                HyperParameter.real("validation_ratio", 0.1, 0.0, 0.9, "share of rows for validation"));
    }

    public PreparedData load(DatasetRequest request) throws IOException {
        Settings s = Settings.of(request.options(), options());
        String file = fileOf(s.version);
        Path folder = DatasetInstaller.ensureInstalled(NAME, request.dataDir(), request.log());
        Path csv = folder.resolve(file);
        if (!Files.isRegularFile(csv)) {
            throw new DatasetException(NAME + ": " + csv + " is missing; dataset option version: " + s.version + " needs it"
                    + " (installed: " + installedVersions(folder) + ")");
        }
        NetflixTitles titles = select(NetflixTitles.read(csv), s.clean, s.type);
        if (titles.size() == 0) throw new DatasetException(NAME + ": no rows left in " + csv + " after cleaning and type filter");
        IndexSplit split = Holdout.ratios(titles.size(), 1 - s.testRatio - s.validationRatio, s.validationRatio, s.testRatio, request.seed());

        List<String> texts = titles.column(s.textColumn);
        List<String> labelNames = labelNames(titles, s.labelColumn);
        TreeMap<String, String> params = new TreeMap<>(split.params());
        params.put("dataset.name", NAME);
        params.put("dataset.version", Integer.toString(s.version));
        params.put("dataset.file", csv.getFileName().toString());
        params.put("dataset.clean", Boolean.toString(s.clean));
        params.put("dataset.type", s.type);
        params.put("dataset.rows", Integer.toString(titles.size()));
        params.put("text.column", s.textColumn.header());
        params.put("text.label_column", s.labelColumn.header());
        params.put("text.labels", Integer.toString(labelNames.size()));
        params.put("text.representation", s.representation);

        Path vocabulary = Files.createTempFile("cinelab-" + NAME + "-vocabulary", ".tsv");
        vocabulary.toFile().deleteOnExit();
        List<String> trainTexts = pick(texts, split.train());
        Features f = s.representation.equals(TextSplits.TFIDF)
                ? tfidf(trainTexts, pick(texts, split.validation()), pick(texts, split.test()), s, params, vocabulary)
                : sequences(trainTexts, pick(texts, split.validation()), pick(texts, split.test()), s, params, vocabulary);
        String sha = Checksums.sha256(csv);
        if (request.log() != null) {
            request.log().accept(String.format(Locale.ROOT, "%s: %,d rows of %s (train %,d, validation %,d, test %,d), %s of %d columns",
                    NAME, titles.size(), csv.getFileName(), split.train().length, split.validation().length, split.test().length,
                    s.representation, f.featureCount));
        }
        return new TextSplits(titles,
                part(split.train(), texts, titles, s.labelColumn, labelNames, f, 0),
                part(split.validation(), texts, titles, s.labelColumn, labelNames, f, 1),
                part(split.test(), texts, titles, s.labelColumn, labelNames, f, 2),
                s.representation, f.featureCount, f.vocabularySize, labelNames, Map.copyOf(params), sha, SplitId.of(sha, params),
                Map.of("vocabulary.tsv", vocabulary));
    }

    /** The member file of a catalogue version. */
    public static String fileOf(int version) throws DatasetException {
        return switch (version) {
            case 7787 -> "netflix_titles_7787.csv";
            case 8807 -> "netflix_titles.csv";
            default -> throw new DatasetException(NAME + ": dataset option version: " + version + " is not a known catalogue; valid: 7787, 8807");
        };
    }

    /** Applies the study's cleaning (when asked) and the type filter. */
    static NetflixTitles select(NetflixTitles titles, boolean clean, String type) {
        String keepType = type.equals("all") ? null : type;
        if (clean) return new TitlesCleaning("No Data", keepType).apply(titles);
        if (keepType == null) return titles;
        return titles.select(java.util.stream.IntStream.range(0, titles.size())
                .filter(r -> keepType.equals(titles.get(r, Column.TYPE))).toArray());
    }

    /** A row's class: the cell, or its first listed value for multi-valued columns. */
    static String labelOf(NetflixTitles titles, int row, Column column) {
        String v = titles.get(row, column);
        if (!MULTI_VALUED.contains(column)) return v.trim();
        int comma = v.indexOf(',');
        return (comma < 0 ? v : v.substring(0, comma)).trim();
    }

    private static List<String> labelNames(NetflixTitles titles, Column column) {
        TreeSet<String> names = new TreeSet<>();
        for (int r = 0; r < titles.size(); r++) names.add(labelOf(titles, r, column));
        return List.copyOf(names);
    }

    private record Features(float[][][] dense, CsrMatrix[] sparse, int featureCount, int vocabularySize) {}

    private static Features sequences(List<String> train, List<String> validation, List<String> test, Settings s,
                                      Map<String, String> params, Path vocabulary) throws IOException {
        KerasTokenizer tokenizer = new KerasTokenizer(s.numWords, null).fitOnTexts(train);
        List<int[]> trainSeq = tokenizer.textsToSequences(train);
        int maxlen = s.maxlen > 0 ? s.maxlen : Math.max(1, PadSequences.longest(trainSeq));
        int[][][] padded = {PadSequences.pad(trainSeq, maxlen), PadSequences.pad(tokenizer.textsToSequences(validation), maxlen),
                PadSequences.pad(tokenizer.textsToSequences(test), maxlen)};
        float[][][] dense = new float[3][][];
        MinMaxScaler scaler = s.scale ? MinMaxScaler.fit(padded[0]) : null;
        for (int p = 0; p < 3; p++) dense[p] = scaler != null ? scaler.transformToFloat(padded[p]) : asFloat(padded[p]);
        VocabularyWriter.writeTsv(tokenizer, vocabulary);
        params.put("text.num_words", Integer.toString(s.numWords));
        params.put("text.maxlen", Integer.toString(maxlen));
        params.put("text.scale", Boolean.toString(s.scale));
        params.put("text.vocabulary_words", Integer.toString(tokenizer.wordIndex().size()));
        return new Features(dense, null, maxlen, tokenizer.inputDimension());
    }

    private static Features tfidf(List<String> train, List<String> validation, List<String> test, Settings s,
                                  Map<String, String> params, Path vocabulary) throws IOException {
        TfidfVectorizer v = new TfidfVectorizer(s.maxFeatures);
        CsrMatrix[] sparse = {v.fitTransform(train), v.transform(validation), v.transform(test)};
        // Unit rows of 2,000 columns hold values ~0.02: an MSE autoencoder then learns to output zeros.
        double factor = s.tfidfScale.equals("sqrt_features") ? Math.sqrt(v.vocabulary().size()) : 1.0;
        for (int p = 0; p < 3; p++) sparse[p] = sparse[p].times(factor);
        VocabularyWriter.writeTsv(v, vocabulary);
        params.put("text.max_features", Integer.toString(s.maxFeatures));
        params.put("text.tfidf_scale", s.tfidfScale);
        params.put("text.vocabulary_words", Integer.toString(v.vocabulary().size()));
        return new Features(null, sparse, v.vocabulary().size(), v.vocabulary().size());
    }

    private static TextSplits.Part part(int[] rows, List<String> texts, NetflixTitles titles, Column labelColumn,
                                        List<String> labelNames, Features f, int p) {
        int[] labels = new int[rows.length];
        for (int k = 0; k < rows.length; k++) labels[k] = java.util.Collections.binarySearch(labelNames, labelOf(titles, rows[k], labelColumn));
        return new TextSplits.Part(rows, pick(texts, rows), labels, f.dense == null ? null : f.dense[p], f.sparse == null ? null : f.sparse[p]);
    }

    private static float[][] asFloat(int[][] rows) {
        float[][] out = new float[rows.length][];
        for (int r = 0; r < rows.length; r++) {
            out[r] = new float[rows[r].length];
            for (int c = 0; c < rows[r].length; c++) out[r][c] = rows[r][c];
        }
        return out;
    }

    private static List<String> pick(List<String> values, int[] rows) {
        List<String> out = new ArrayList<>(rows.length);
        for (int r : rows) out.add(values.get(r));
        return List.copyOf(out);
    }

    private static String installedVersions(Path folder) {
        List<String> v = new ArrayList<>();
        if (Files.isRegularFile(folder.resolve("netflix_titles_7787.csv"))) v.add("7787");
        if (Files.isRegularFile(folder.resolve("netflix_titles.csv"))) v.add("8807");
        return v.isEmpty() ? "none" : String.join(", ", v);
    }

    /** The options of a request, completed with the declared defaults. */
    private record Settings(int version, boolean clean, String type, Column textColumn, Column labelColumn, String representation,
                            int numWords, int maxlen, boolean scale, int maxFeatures, String tfidfScale, double testRatio,
                            double validationRatio) {
        static Settings of(Map<String, Object> given, List<HyperParameter> declared) {
            Map<String, Object> o = new java.util.HashMap<>();
            for (HyperParameter hp : declared) o.put(hp.name(), hp.defaultValue());
            if (given != null) o.putAll(given);
            return new Settings(((Number) o.get("version")).intValue(), (Boolean) o.get("clean"), (String) o.get("type"),
                    column((String) o.get("text_column")), column((String) o.get("label_column")), (String) o.get("representation"),
                    ((Number) o.get("num_words")).intValue(), ((Number) o.get("maxlen")).intValue(), (Boolean) o.get("scale"),
                    ((Number) o.get("max_features")).intValue(), (String) o.get("tfidf_scale"), ((Number) o.get("test_ratio")).doubleValue(),
                    ((Number) o.get("validation_ratio")).doubleValue());
        }

        private static Column column(String header) {
            for (Column c : Column.values()) if (c.header().equals(header)) return c;
            throw new IllegalArgumentException("no column '" + header + "'; valid: " + COLUMNS);
        }
    }
}
