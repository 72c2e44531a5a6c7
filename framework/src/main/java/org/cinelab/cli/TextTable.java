package org.cinelab.cli;

import java.util.ArrayList;
import java.util.List;

/** A plain-text table for the terminal: a header, a rule, and rows; numbers are right-aligned. */
final class TextTable {
    private final List<String> header;
    private final List<List<String>> rows = new ArrayList<>();

    TextTable(List<String> header) { this.header = List.copyOf(header); }

    void add(List<String> row) {
        if (row.size() != header.size()) throw new IllegalArgumentException("row has " + row.size() + " cells, header " + header.size());
        rows.add(row.stream().map(c -> c == null ? "" : c).toList());
    }

    boolean isEmpty() { return rows.isEmpty(); }

    String render() {
        int[] width = new int[header.size()];
        boolean[] numeric = new boolean[header.size()];
        for (int c = 0; c < header.size(); c++) {
            width[c] = header.get(c).length();
            numeric[c] = !rows.isEmpty();
            for (List<String> row : rows) {
                width[c] = Math.max(width[c], row.get(c).length());
                if (!row.get(c).isEmpty() && !isNumber(row.get(c))) numeric[c] = false;
            }
        }
        StringBuilder sb = new StringBuilder();
        line(sb, header, width, numeric);
        for (int c = 0; c < width.length; c++) sb.append(c == 0 ? "" : "  ").append("-".repeat(width[c]));
        sb.append('\n');
        for (List<String> row : rows) line(sb, row, width, numeric);
        return sb.toString();
    }

    private static void line(StringBuilder sb, List<String> cells, int[] width, boolean[] numeric) {
        StringBuilder line = new StringBuilder();
        for (int c = 0; c < cells.size(); c++) {
            if (c > 0) line.append("  ");
            String cell = cells.get(c);
            String pad = " ".repeat(width[c] - cell.length());
            line.append(numeric[c] ? pad + cell : cell + pad);
        }
        sb.append(line.toString().stripTrailing()).append('\n');
    }

    static boolean isNumber(String s) {
        try {
            Double.parseDouble(s);
            return true;
        } catch (NumberFormatException e) {
            return false;
        }
    }
}
