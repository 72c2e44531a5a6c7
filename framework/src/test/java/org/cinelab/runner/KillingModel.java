package org.cinelab.runner;

import org.cinelab.data.PreparedData;
import org.cinelab.models.ModelFactory;
import org.cinelab.models.TrialModel;
import org.cinelab.space.HyperParameter;
import org.cinelab.space.Hyperparams;

import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Delegates to a real model and throws {@link Kill} at the {@code killAt}-th epoch trained in this
 * process (during the epoch, or after its metrics are logged and before its state is written).
 */
final class KillingModel implements ModelFactory {
    /** Thrown by the model to stop the run the way a kill would: not a RuntimeException, so no trial is marked FAILED. */
    static final class Kill extends Error {
        Kill() { super("simulated kill", null, false, false); }
    }

    private final ModelFactory real;
    private final int killAt;
    private final boolean afterLogging;
    private final AtomicInteger epochs = new AtomicInteger();

    KillingModel(ModelFactory real, int killAt, boolean afterLogging) {
        this.real = real;
        this.killAt = killAt;
        this.afterLogging = afterLogging;
    }

    @Override public String type() { return real.type(); }
    @Override public String description() { return real.description(); }
    @Override public Class<? extends PreparedData> dataType() { return real.dataType(); }
    @Override public List<HyperParameter> hyperParameters() { return real.hyperParameters(); }
    @Override public String defaultObjectiveMetric() { return real.defaultObjectiveMetric(); }
    @Override public List<String> metricNames() { return real.metricNames(); }
    @Override public boolean lowerIsBetter(String metric) { return real.lowerIsBetter(metric); }

    @Override
    public TrialModel create(Hyperparams params, PreparedData data, long seed) {
        TrialModel m = real.create(params, data, seed);
        return new TrialModel() {
            private boolean killAfterThisEpoch;

            @Override
            public double trainEpoch(int epoch) {
                int n = epochs.incrementAndGet();
                if (n == killAt && !afterLogging) throw new Kill();
                killAfterThisEpoch = n == killAt;
                return m.trainEpoch(epoch);
            }

            @Override public Map<String, Double> evaluate(Split split) { return m.evaluate(split); }

            /** The runner checkpoints after logging the epoch's metrics and before writing the trial state. */
            @Override
            public void saveCheckpoint(DataOutputStream out) throws IOException {
                if (killAfterThisEpoch) throw new Kill();
                m.saveCheckpoint(out);
            }

            @Override public void loadCheckpoint(DataInputStream in) throws IOException { m.loadCheckpoint(in); }
            @Override public void exportModel(Path dir) throws IOException { m.exportModel(dir); }
            @Override public long parameterCount() { return m.parameterCount(); }
            @Override public Map<String, String> tags() { return m.tags(); }
        };
    }
}
