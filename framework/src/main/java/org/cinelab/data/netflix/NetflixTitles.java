package org.cinelab.data.netflix;

import java.io.IOException;
import java.nio.file.Path;
import java.util.AbstractList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * The Kaggle "Netflix Movies and TV Shows" catalogue ({@code netflix_titles.csv}, both the
 * 7,787- and the 8,807-row versions) as a column-major table of strings. Repeated values (type,
 * rating, country, ...) share one String instance, so the table stays a few MB. A missing cell
 * is the empty string, exactly as in the file.
 */
public final class NetflixTitles {
    /** The twelve columns, in file order, with their header names. */
    public enum Column {
        SHOW_ID("show_id"), TYPE("type"), TITLE("title"), DIRECTOR("director"), CAST("cast"),
        COUNTRY("country"), DATE_ADDED("date_added"), RELEASE_YEAR("release_year"), RATING("rating"),
        DURATION("duration"), LISTED_IN("listed_in"), DESCRIPTION("description");

        private final String header;

        Column(String header) { this.header = header; }

        public String header() { return header; }
    }

    private static final Column[] COLUMNS = Column.values();

    private final String[][] columns;
    private final int size;

    private NetflixTitles(String[][] columns, int size) {
        this.columns = columns;
        this.size = size;
    }

    /** Reads and checks the CSV: the header must be exactly the twelve known column names. */
    public static NetflixTitles read(Path csv) throws IOException {
        List<Rfc4180Parser.CsvRecord> records = Rfc4180Parser.parse(csv);
        if (records.isEmpty()) {
            throw new MalformedDataException(csv, 1, "empty file (expected the header " + expectedHeader() + ")", "");
        }
        Rfc4180Parser.CsvRecord header = records.get(0);
        if (!Arrays.equals(header.fields(), Arrays.stream(COLUMNS).map(Column::header).toArray())) {
            throw new MalformedDataException(csv, header.line(),
                    "unexpected header (expected " + expectedHeader() + ")", String.join(",", header.fields()));
        }
        return fromRows(records.subList(1, records.size()).stream().map(Rfc4180Parser.CsvRecord::fields).toList());
    }

    /** A table from rows of twelve cells in {@link Column} order. */
    public static NetflixTitles fromRows(List<String[]> rows) {
        String[][] cols = new String[COLUMNS.length][rows.size()];
        List<Map<String, String>> pools = new java.util.ArrayList<>();
        for (int c = 0; c < COLUMNS.length; c++) pools.add(new HashMap<>());
        for (int r = 0; r < rows.size(); r++) {
            String[] row = rows.get(r);
            if (row.length != COLUMNS.length) {
                throw new IllegalArgumentException("row " + r + " has " + row.length + " cells, expected " + COLUMNS.length);
            }
            for (int c = 0; c < COLUMNS.length; c++) cols[c][r] = pools.get(c).computeIfAbsent(row[c], v -> v);
        }
        return new NetflixTitles(cols, rows.size());
    }

    private static String expectedHeader() {
        return String.join(",", Arrays.stream(COLUMNS).map(Column::header).toList());
    }

    public int size() { return size; }

    public String get(int row, Column column) {
        if (row < 0 || row >= size) throw new IndexOutOfBoundsException("row " + row + " of " + size);
        return columns[column.ordinal()][row];
    }

    /** True when the cell is empty in the file. */
    public boolean isMissing(int row, Column column) {
        return get(row, column).isEmpty();
    }

    /** A read-only view of one column. */
    public List<String> column(Column column) {
        String[] values = columns[column.ordinal()];
        return new AbstractList<>() {
            @Override
            public String get(int index) {
                if (index >= size) throw new IndexOutOfBoundsException(index);
                return values[index];
            }

            @Override
            public int size() { return size; }
        };
    }

    /** A copy of one row's twelve cells in {@link Column} order. */
    public String[] row(int row) {
        String[] out = new String[COLUMNS.length];
        for (int c = 0; c < COLUMNS.length; c++) out[c] = get(row, COLUMNS[c]);
        return out;
    }

    /** The rows at the given indices, in that order. */
    public NetflixTitles select(int[] rows) {
        String[][] cols = new String[COLUMNS.length][rows.length];
        for (int c = 0; c < COLUMNS.length; c++) {
            for (int k = 0; k < rows.length; k++) cols[c][k] = get(rows[k], COLUMNS[c]);
        }
        return new NetflixTitles(cols, rows.length);
    }

    /** How many cells of a column are missing. */
    public int missingCount(Column column) {
        int n = 0;
        for (int r = 0; r < size; r++) if (isMissing(r, column)) n++;
        return n;
    }
}
