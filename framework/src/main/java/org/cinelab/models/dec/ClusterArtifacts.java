package org.cinelab.models.dec;

import org.cinelab.data.netflix.NetflixTitles.Column;
import org.cinelab.data.text.TextSplits;
import org.cinelab.charts.Charts;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * The files that let a person judge a clustering of titles ({@code dec}, {@code text-kmeans}) and let
 * classifiers train on it: {@code cluster_labels.csv} (show_id → cluster, the file
 * {@code text-dnn}/{@code text-lstm} read), cluster sizes, the top TF-IDF words without stop words
 * ({@link TopWords}) and five example titles per cluster, and two 2-D scatters of the clustered vectors
 * coloured by cluster: a seeded Barnes-Hut t-SNE ({@link TsneProjection}, the study's figure) and the first
 * two principal components.
 */
final class ClusterArtifacts {
    static final String LABELS_FILE = "cluster_labels.csv";
    private static final int TOP_WORDS = 10;
    private static final int EXAMPLES = 5;

    /**
     * A clustering of {@code rows} of the data's titles.
     *
     * @param method     named in the headings ("DEC", "k-means")
     * @param labels     each row's cluster in {@code 0..k-1}
     * @param confidence each row's soft assignment to its cluster: the examples shown are the most confident
     * @param points     the vectors that were clustered (DEC's embedding, or the input), for the scatter
     */
    record Clustering(String method, int k, int[] labels, float[] confidence, float[][] points, Map<String, Double> metrics) {}

    private final TextSplits data;
    private final int[] rows;
    private final Clustering r;
    private final boolean scatter;
    private final long seed;

    /** @param seed seeds the t-SNE (the trial seed: the same run draws the same figure) */
    ClusterArtifacts(TextSplits data, int[] rows, Clustering r, boolean scatter, long seed) {
        this.data = data;
        this.rows = rows;
        this.r = r;
        this.scatter = scatter;
        this.seed = seed;
    }

    void write(Path dir) throws IOException {
        int k = r.k();
        StringBuilder labels = new StringBuilder("show_id,cluster,confidence,title\n");
        int[] sizes = new int[k];
        for (int i = 0; i < rows.length; i++) {
            sizes[r.labels()[i]]++;
            labels.append(csv(cell(rows[i], Column.SHOW_ID))).append(',').append(r.labels()[i]).append(',')
                    .append(String.format(Locale.ROOT, "%.4f", r.confidence()[i])).append(',')
                    .append(csv(oneLine(cell(rows[i], Column.TITLE)))).append('\n');
        }
        Files.writeString(dir.resolve(LABELS_FILE), labels, StandardCharsets.UTF_8);

        List<List<String>> words = topWords(k);
        List<List<Integer>> examples = examples(k);
        StringBuilder sizesCsv = new StringBuilder("cluster,size,top_words\n");
        StringBuilder md = new StringBuilder("# " + r.method() + " clusters\n\n")
                .append(String.format(Locale.ROOT, "%d titles, k = %d. Metrics: %s%n%n", rows.length, k, r.metrics()))
                .append("| cluster | size | top TF-IDF words (stop words removed) | example titles (most confident) |\n|---|---|---|---|\n");
        StringBuilder examplesCsv = new StringBuilder("cluster,show_id,title,confidence,description\n");
        for (int c = 0; c < k; c++) {
            sizesCsv.append(c).append(',').append(sizes[c]).append(',').append(csv(String.join(" ", words.get(c)))).append('\n');
            List<String> titles = new ArrayList<>();
            for (int i : examples.get(c)) {
                titles.add(cell(rows[i], Column.TITLE));
                examplesCsv.append(c).append(',').append(csv(cell(rows[i], Column.SHOW_ID))).append(',')
                        .append(csv(cell(rows[i], Column.TITLE))).append(',')
                        .append(String.format(Locale.ROOT, "%.4f", r.confidence()[i])).append(',')
                        .append(csv(cell(rows[i], Column.DESCRIPTION))).append('\n');
            }
            md.append("| ").append(c).append(" | ").append(sizes[c]).append(" | ").append(String.join(", ", words.get(c)))
                    .append(" | ").append(String.join("; ", titles).replace("|", "\\|")).append(" |\n");
        }
        Files.writeString(dir.resolve("cluster_sizes.csv"), sizesCsv, StandardCharsets.UTF_8);
        Files.writeString(dir.resolve("cluster_examples.csv"), examplesCsv, StandardCharsets.UTF_8);
        Files.writeString(dir.resolve("clusters.md"), md, StandardCharsets.UTF_8);
        if (scatter) {
            scatter(dir.resolve("cluster_scatter_pca.png"), Pca.project2d(r.points()), k, "first two principal components", "PC1", "PC2");
            double[][] tsne = TsneProjection.project(r.points(), seed);
            if (tsne != null) {
                scatter(dir.resolve("cluster_scatter_tsne.png"), tsne, k, String.format(Locale.ROOT,
                        "Barnes-Hut t-SNE (perplexity %.0f, seed %d)", Math.min(TsneProjection.PERPLEXITY, (rows.length - 1) / 3.0), seed),
                        "t-SNE 1", "t-SNE 2");
            }
        }
    }

    private String cell(int row, Column c) { return data.titles().get(row, c); }

    private List<List<String>> topWords(int k) {
        List<String> texts = new ArrayList<>(rows.length);
        for (int row : rows) texts.add(textOf(row));
        return TopWords.byCluster(texts, r.labels(), k, TOP_WORDS);
    }

    private String textOf(int row) {
        String column = data.params().getOrDefault("text.column", "description");
        for (Column c : Column.values()) if (c.header().equals(column)) return cell(row, c);
        return cell(row, Column.DESCRIPTION);
    }

    private List<List<Integer>> examples(int k) {
        List<List<Integer>> members = new ArrayList<>();
        for (int c = 0; c < k; c++) members.add(new ArrayList<>());
        for (int i = 0; i < rows.length; i++) members.get(r.labels()[i]).add(i);
        List<List<Integer>> out = new ArrayList<>();
        for (List<Integer> m : members) {
            m.sort((a, b) -> Float.compare(r.confidence()[b], r.confidence()[a]));
            out.add(m.subList(0, Math.min(EXAMPLES, m.size())));
        }
        return out;
    }

    private void scatter(Path png, double[][] xy, int k, String projection, String xLabel, String yLabel) throws IOException {
        Map<String, List<double[]>> byCluster = new LinkedHashMap<>();
        for (int c = 0; c < k; c++) byCluster.put("cluster " + c, new ArrayList<>());
        for (int i = 0; i < xy.length; i++) byCluster.get("cluster " + r.labels()[i]).add(xy[i]);
        Map<String, double[][]> series = new LinkedHashMap<>();
        byCluster.forEach((name, pts) -> series.put(name, pts.toArray(new double[0][])));
        Charts.points(r.method() + ": clustered vectors, " + projection + ", coloured by cluster", xLabel, yLabel, series, Map.of(), false, false, png);
    }

    /** The label file is read line by line: a title with a line break keeps it as a space. */
    private static String oneLine(String v) { return v == null ? null : v.replaceAll("[\\r\\n]+", " "); }

    private static String csv(String v) {
        if (v == null) return "";
        return v.contains(",") || v.contains("\"") || v.contains("\n") ? '"' + v.replace("\"", "\"\"") + '"' : v;
    }
}
