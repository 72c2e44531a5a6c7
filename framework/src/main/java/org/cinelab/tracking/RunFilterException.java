package org.cinelab.tracking;

/**
 * A search filter or sort key that cannot be used, located by its 1-based column:
 * {@code column 11: expected a comparator (...), found '>>'}. {@link #pointer()} shows the text with a caret.
 */
public final class RunFilterException extends IllegalArgumentException {
    private final String text;
    private final int column;

    public RunFilterException(String text, int column, String problem) {
        super("column " + column + ": " + problem);
        this.text = text;
        this.column = column;
    }

    public int column() { return column; }

    /** The filter and a caret under the column. */
    public String pointer() {
        return "  " + text + System.lineSeparator() + "  " + " ".repeat(Math.max(0, column - 1)) + "^";
    }
}
