package org.cinelab.tracking;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * The lines of an MLflow metric file: {@code <timestamp> <value> <step>}. Values are written so that
 * Python's {@code float()} reads them ({@code nan}, {@code inf}, {@code -inf} for the specials); on
 * reading, the 2-field legacy form and MLflow 3's 5-field dataset form are accepted too.
 */
final class MetricLines {
    private MetricLines() {}

    static void append(StringBuilder out, MetricPoint point) {
        out.append(point.timestampMs()).append(' ').append(formatValue(point.value())).append(' ')
                .append(point.step()).append('\n');
    }

    static String formatValue(double value) {
        if (Double.isNaN(value)) return "nan";
        if (value == Double.POSITIVE_INFINITY) return "inf";
        if (value == Double.NEGATIVE_INFINITY) return "-inf";
        return Double.toString(value);
    }

    /** Python {@code float()} of a metric value: {@code nan}, {@code inf}, {@code Infinity}, {@code 1e-07}, … */
    static double parseValue(String text) {
        String s = text.trim();
        String lower = s.toLowerCase(Locale.ROOT);
        String unsigned = lower.startsWith("-") || lower.startsWith("+") ? lower.substring(1) : lower;
        boolean negative = lower.startsWith("-");
        if (unsigned.equals("nan")) return Double.NaN;
        if (unsigned.equals("inf") || unsigned.equals("infinity")) {
            return negative ? Double.NEGATIVE_INFINITY : Double.POSITIVE_INFINITY;
        }
        if (!s.matches("[+-]?(\\d+\\.?\\d*|\\.\\d+)([eE][+-]?\\d+)?")) {
            throw new NumberFormatException("not a number: '" + text + "'");
        }
        return Double.parseDouble(s);
    }

    /** Every point of one metric file in file order; empty when the file does not exist. */
    static List<MetricPoint> read(String key, Path file) throws IOException {
        List<String> lines;
        try {
            lines = Files.readAllLines(file, StandardCharsets.UTF_8);
        } catch (NoSuchFileException e) {
            return List.of();
        }
        List<MetricPoint> points = new ArrayList<>(lines.size());
        for (int i = 0; i < lines.size(); i++) {
            String line = lines.get(i).strip();
            if (!line.isEmpty()) points.add(parse(key, line, file, i + 1));
        }
        return points;
    }

    static MetricPoint parse(String key, String line, Path file, int lineNumber) throws IOException {
        String[] fields = line.split(" ");
        if (fields.length != 2 && fields.length != 3 && fields.length != 5) {
            throw new IOException(file + ":" + lineNumber + ": metric '" + key + "' line '" + line
                    + "' has " + fields.length + " fields; expected '<timestamp> <value> <step>' "
                    + "(or the 2-field legacy and 5-field dataset forms)");
        }
        try {
            long timestamp = Long.parseLong(fields[0]);
            double value = parseValue(fields[1]);
            long step = fields.length >= 3 ? Long.parseLong(fields[2]) : 0L;
            return new MetricPoint(key, value, step, timestamp);
        } catch (NumberFormatException e) {
            throw new IOException(file + ":" + lineNumber + ": metric '" + key + "' line '" + line
                    + "' is malformed: timestamp and step must be integers and value a number ("
                    + e.getMessage() + ")", e);
        }
    }
}
