package org.cinelab.data.catalog;

import org.cinelab.data.netflix.NetflixTitles;
import org.cinelab.data.netflix.NetflixTitles.Column;

import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;

/**
 * Summary numbers of a titles catalogue, as {@code cinelab datasets info netflix-titles} prints
 * them: rows, rows per {@code type} and empty cells per column (columns with none are left out).
 */
public record TitlesStats(String file, int rows, Map<String, Integer> rowsByType, Map<String, Integer> missingByColumn) {

    public static TitlesStats of(String file, NetflixTitles titles) {
        TreeMap<String, Integer> byType = new TreeMap<>();
        for (String t : titles.column(Column.TYPE)) byType.merge(t, 1, Integer::sum);
        Map<String, Integer> missing = new LinkedHashMap<>();
        for (Column c : Column.values()) {
            int n = titles.missingCount(c);
            if (n > 0) missing.put(c.header(), n);
        }
        return new TitlesStats(file, titles.size(), byType, missing);
    }

    /** Lines for the terminal. */
    public String describe() {
        StringBuilder sb = new StringBuilder(String.format(Locale.ROOT, "%s: %,d rows", file, rows));
        String nl = System.lineSeparator();
        rowsByType.forEach((type, n) -> sb.append(nl).append(String.format(Locale.ROOT, "  type %-10s %,7d", type, n)));
        sb.append(nl).append("  missing   ").append(missingByColumn.isEmpty() ? "none" : "");
        StringBuilder cells = new StringBuilder();
        missingByColumn.forEach((c, n) -> cells.append(cells.isEmpty() ? "" : ", ").append(String.format(Locale.ROOT, "%s %,d", c, n)));
        sb.append(cells);
        return sb.toString();
    }
}
