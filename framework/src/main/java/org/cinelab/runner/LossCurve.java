package org.cinelab.runner;

import org.cinelab.charts.Charts;

import java.io.IOException;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;

/** A trial's training loss and validation metrics per epoch as one PNG artifact. */
final class LossCurve {
    private LossCurve() {}

    static void write(TrialState s, String title, Path png) throws IOException {
        Map<String, double[][]> series = new LinkedHashMap<>();
        series.put("train_loss", s.history.stream().map(r -> new double[] {r.epoch, r.trainLoss}).toArray(double[][]::new));
        if (!s.history.isEmpty()) {
            for (String metric : s.history.get(0).validation.keySet()) {
                series.put("val_" + metric, s.history.stream()
                        .map(r -> new double[] {r.epoch, r.validation.getOrDefault(metric, Double.NaN)}).toArray(double[][]::new));
            }
        }
        Charts.lines(title, "epoch", "value", series, png);
    }
}
