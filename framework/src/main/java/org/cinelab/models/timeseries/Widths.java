package org.cinelab.models.timeseries;

import java.util.Arrays;

/** Layer widths written in a spec as a comma list, e.g. {@code "256,128,64"}. */
final class Widths {
    private Widths() {}

    static int[] parse(String setting, String text) {
        try {
            int[] w = Arrays.stream(text.split(",")).map(String::trim).mapToInt(Integer::parseInt).toArray();
            for (int v : w) if (v < 1) throw new NumberFormatException();
            return w;
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException(setting + " '" + text + "': expected positive layer widths separated by commas, e.g. 256,128,64");
        }
    }
}
