package org.cinelab.runner;

import java.util.ArrayList;
import java.util.List;

/** A trial's per-epoch history as CSV ({@code epoch,train_loss,val_...}), logged as an artifact. */
final class HistoryCsv {
    private HistoryCsv() {}

    static String format(TrialState s) {
        List<String> metrics = new ArrayList<>();
        if (!s.history.isEmpty()) metrics.addAll(s.history.get(0).validation.keySet());
        StringBuilder sb = new StringBuilder("epoch,train_loss");
        for (String m : metrics) sb.append(",val_").append(m);
        sb.append('\n');
        for (TrialState.EpochRecord r : s.history) {
            sb.append(r.epoch).append(',').append(r.trainLoss);
            for (String m : metrics) sb.append(',').append(r.validation.get(m));
            sb.append('\n');
        }
        return sb.toString();
    }
}
