package org.cinelab.data.text;

import com.fasterxml.jackson.core.JsonEncoding;
import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;

import java.io.IOException;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * Writes a fitted vocabulary as a run artifact, so that a run records exactly which word got which
 * index: a TSV a person can read and a JSON file a program can. Files are written to a temporary
 * name and renamed, so a reader never sees half a file.
 */
public final class VocabularyWriter {
    private VocabularyWriter() {}

    /** One row per word in index order, with its index, count, document count and whether sequences keep it. */
    public static void writeTsv(KerasTokenizer tokenizer, Path file) throws IOException {
        atomically(file, out -> {
            try (Writer w = Files.newBufferedWriter(out, StandardCharsets.UTF_8)) {
                w.write("index\tword\tcount\tdocs\tkept\n");
                for (Row r : rows(tokenizer)) {
                    w.write(r.index + "\t" + escape(r.word) + "\t" + r.count + "\t" + r.docs + "\t" + r.kept + "\n");
                }
            }
        });
    }

    /**
     * {@code {"num_words": N|null, "oov_token": S|null, "document_count": N, "words": [{"index", "word",
     * "count", "docs", "kept"}, ...]}}, words in index order.
     */
    public static void writeJson(KerasTokenizer tokenizer, Path file) throws IOException {
        atomically(file, out -> {
            try (JsonGenerator g = new JsonFactory().createGenerator(out.toFile(), JsonEncoding.UTF8)) {
                g.useDefaultPrettyPrinter();
                g.writeStartObject();
                g.writeFieldName("num_words");
                if (tokenizer.numWords().isPresent()) g.writeNumber(tokenizer.numWords().getAsInt());
                else g.writeNull();
                g.writeStringField("oov_token", tokenizer.oovToken().orElse(null));
                g.writeNumberField("document_count", tokenizer.documentCount());
                g.writeArrayFieldStart("words");
                for (Row r : rows(tokenizer)) {
                    g.writeStartObject();
                    g.writeNumberField("index", r.index);
                    g.writeStringField("word", r.word);
                    g.writeNumberField("count", r.count);
                    g.writeNumberField("docs", r.docs);
                    g.writeBooleanField("kept", r.kept);
                    g.writeEndObject();
                }
                g.writeEndArray();
                g.writeEndObject();
            }
        });
    }

    /** One row per term in column order, with its idf. */
    public static void writeTsv(TfidfVectorizer vectorizer, Path file) throws IOException {
        double[] idf = vectorizer.idf();
        atomically(file, out -> {
            try (Writer w = Files.newBufferedWriter(out, StandardCharsets.UTF_8)) {
                w.write("column\tterm\tidf\n");
                for (Map.Entry<String, Integer> e : vectorizer.vocabulary().entrySet()) {
                    w.write(e.getValue() + "\t" + escape(e.getKey()) + "\t" + idf[e.getValue()] + "\n");
                }
            }
        });
    }

    private record Row(int index, String word, int count, int docs, boolean kept) {}

    private static List<Row> rows(KerasTokenizer t) {
        List<Row> rows = new ArrayList<>();
        int limit = t.numWords().orElse(Integer.MAX_VALUE);
        t.wordIndex().forEach((word, index) -> rows.add(new Row(index, word,
                t.wordCounts().getOrDefault(word, 0), t.wordDocs().getOrDefault(word, 0), index < limit)));
        rows.sort((a, b) -> Integer.compare(a.index, b.index));
        return rows;
    }

    /** Backslash escapes for the characters that would break a TSV row. */
    static String escape(String s) {
        return s.replace("\\", "\\\\").replace("\t", "\\t").replace("\n", "\\n").replace("\r", "\\r");
    }

    private interface Write {
        void to(Path file) throws IOException;
    }

    private static void atomically(Path file, Write write) throws IOException {
        Path dir = file.toAbsolutePath().getParent();
        Files.createDirectories(dir);
        Path tmp = Files.createTempFile(dir, file.getFileName().toString(), ".tmp");
        try {
            write.to(tmp);
            Files.move(tmp, file, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
        } finally {
            Files.deleteIfExists(tmp);
        }
    }
}
