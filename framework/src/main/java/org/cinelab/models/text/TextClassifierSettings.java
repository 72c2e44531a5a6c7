package org.cinelab.models.text;

import org.cinelab.space.Hyperparams;

import java.nio.file.Path;
import java.util.Arrays;

/** A text classifier trial's settings, read once from the resolved hyperparameters. */
record TextClassifierSettings(boolean lstm, String labels, String decRun, Path trackingDir, String optimizer, double lr,
                              double momentum, double rmsDecay, int batchSize, double dropout,
                              int[] layers, int embeddingDim, boolean embeddingInput) {

    static TextClassifierSettings of(Hyperparams h, boolean lstm) {
        String widths = lstm ? h.getString("units") : h.getString("hidden");
        int[] layers;
        try {
            layers = Arrays.stream(widths.split(",")).map(String::trim).mapToInt(Integer::parseInt).toArray();
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("model param '" + (lstm ? "units" : "hidden") + "': '" + widths
                    + "' is not a list of positive integers like 64,64");
        }
        return new TextClassifierSettings(lstm, h.getString("labels"), h.getString("dec_run"), Path.of(h.getString("tracking_dir")),
                h.getString("optimizer"), h.getDouble("lr"), h.getDouble("momentum"), h.getDouble("rms_decay"), h.getInt("batch_size"),
                h.getDouble("dropout"), layers, lstm ? h.getInt("embedding_dim") : 0,
                lstm && h.getString("input").equals("embedding"));
    }
}
