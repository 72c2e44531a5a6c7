package org.cinelab.runner;

import org.cinelab.data.PreparedData;
import org.cinelab.models.ModelFactory;
import org.cinelab.models.TrialModel;
import org.cinelab.space.Hyperparams;

import java.io.DataOutputStream;
import java.io.IOException;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Delegates to a real model and throws {@link Kill} at the {@code killAt}-th epoch trained in this
 * process (during the epoch, or after its metrics are logged and before its state is written).
 */
final class KillingModel extends WrappedModel {
    /** Thrown by the model to stop the run the way a kill would: not a RuntimeException, so no trial is marked FAILED. */
    static final class Kill extends Error {
        Kill() { super("simulated kill", null, false, false); }
    }

    private final int killAt;
    private final boolean afterLogging;
    private final AtomicInteger epochs = new AtomicInteger();

    KillingModel(ModelFactory real, int killAt, boolean afterLogging) {
        super(real);
        this.killAt = killAt;
        this.afterLogging = afterLogging;
    }

    @Override
    public TrialModel create(Hyperparams params, PreparedData data, long seed) {
        return new DelegatingTrial(real.create(params, data, seed)) {
            private boolean killAfterThisEpoch;

            @Override
            public double trainEpoch(int epoch) {
                int n = epochs.incrementAndGet();
                if (n == killAt && !afterLogging) throw new Kill();
                killAfterThisEpoch = n == killAt;
                return m.trainEpoch(epoch);
            }

            /** The runner checkpoints after logging the epoch's metrics and before writing the trial state. */
            @Override
            public void saveCheckpoint(DataOutputStream out) throws IOException {
                if (killAfterThisEpoch) throw new Kill();
                m.saveCheckpoint(out);
            }
        };
    }
}
