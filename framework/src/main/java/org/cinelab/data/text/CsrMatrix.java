package org.cinelab.data.text;

import java.util.Arrays;

/**
 * A sparse matrix in compressed-sparse-row form (scipy's {@code csr_matrix}): TF-IDF rows have a
 * few dozen non-zeros among thousands of columns. Column indices are ascending within a row.
 */
public final class CsrMatrix {
    private final int rows;
    private final int columns;
    private final int[] rowStart;
    private final int[] columnIndex;
    private final double[] values;

    /**
     * @param rowStart    {@code rows + 1} offsets into the other two arrays
     * @param columnIndex column of each stored value, ascending within a row
     */
    public CsrMatrix(int rows, int columns, int[] rowStart, int[] columnIndex, double[] values) {
        if (rowStart.length != rows + 1 || columnIndex.length != values.length || rowStart[rows] != values.length) {
            throw new IllegalArgumentException("inconsistent CSR arrays");
        }
        this.rows = rows;
        this.columns = columns;
        this.rowStart = rowStart;
        this.columnIndex = columnIndex;
        this.values = values;
    }

    public int rows() { return rows; }

    public int columns() { return columns; }

    public int nonZeros() { return values.length; }

    public double get(int row, int column) {
        int i = Arrays.binarySearch(columnIndex, rowStart[row], rowStart[row + 1], column);
        return i >= 0 ? values[i] : 0.0;
    }

    public double[] denseRow(int row) {
        double[] out = new double[columns];
        for (int i = rowStart[row]; i < rowStart[row + 1]; i++) out[columnIndex[i]] = values[i];
        return out;
    }

    /** This matrix with every value multiplied by {@code factor}. */
    public CsrMatrix times(double factor) {
        double[] v = values.clone();
        for (int i = 0; i < v.length; i++) v[i] *= factor;
        return new CsrMatrix(rows, columns, rowStart, columnIndex, v);
    }

    /** Dense float rows, for a network's input. */
    public float[][] toDenseFloat() {
        float[][] out = new float[rows][columns];
        for (int r = 0; r < rows; r++) {
            for (int i = rowStart[r]; i < rowStart[r + 1]; i++) out[r][columnIndex[i]] = (float) values[i];
        }
        return out;
    }

    /** The raw arrays, shared not copied: callers must not modify them. */
    public int[] rowStart() { return rowStart; }

    public int[] columnIndex() { return columnIndex; }

    public double[] values() { return values; }
}
