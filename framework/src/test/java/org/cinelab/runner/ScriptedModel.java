package org.cinelab.runner;

import org.cinelab.data.FeaturedRatingSplits;
import org.cinelab.data.PreparedData;
import org.cinelab.data.RatingSplits;
import org.cinelab.models.BiasedMatrixFactorization;
import org.cinelab.space.HyperParameter;
import org.cinelab.space.Hyperparams;
import org.cinelab.models.ModelFactory;
import org.cinelab.models.TrialModel;

import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

/**
 * A biased-mf look-alike whose curves are scripted: its state is the number of epochs trained;
 * validation rmse is V-shaped with its bottom {@code 0.70 + 0.005 * factors} at epoch
 * {@code factors} (0.01 worse per epoch away from it); test rmse and mae are the epoch the model
 * is at, and the exported model is a file {@code epoch.txt} holding it. So a test can read from
 * which epoch the test metrics and the model came. It records the training set size of every model
 * it creates, so a test can tell search trials from the refit on training + validation.
 */
final class ScriptedModel implements ModelFactory {
    private final ModelFactory declared = new BiasedMatrixFactorization();
    /** Trains of this epoch by a trial with {@link #killFactors} factors throw {@link Killed}. */
    private final int killFactors;
    private final int killEpoch;
    /** Whether only models trained on refit data ({@code split.refit}) die at {@link #killEpoch}. */
    private final boolean killOnlyRefit;
    /** The training set size of every model created, in order. */
    final List<Integer> trainSizes = new java.util.concurrent.CopyOnWriteArrayList<>();

    ScriptedModel() { this(0, 0); }

    /** A model whose trials with {@code factors} die (as the JVM would on SIGKILL) before training {@code epoch}. */
    ScriptedModel(int factors, int epoch) { this(factors, epoch, false); }

    private ScriptedModel(int factors, int epoch, boolean killOnlyRefit) {
        this.killFactors = factors;
        this.killEpoch = epoch;
        this.killOnlyRefit = killOnlyRefit;
    }

    /** A model whose refit (training + validation data) dies before training {@code epoch}; search trials live. */
    static ScriptedModel killingRefitAt(int epoch) { return new ScriptedModel(0, epoch, true); }

    static double validation(int factors, int epoch) {
        return 0.70 + 0.005 * factors + 0.01 * Math.abs(epoch - factors);
    }

    /** Not a RuntimeException: it is not a trial failure but the end of the process. */
    static final class Killed extends Error {
        Killed() { super("simulated kill"); }
    }

    public String type() { return declared.type(); }
    public String description() { return "scripted curves for tests"; }
    public Class<? extends PreparedData> dataType() { return declared.dataType(); }
    public List<HyperParameter> hyperParameters() { return declared.hyperParameters(); }
    public String defaultObjectiveMetric() { return "rmse"; }
    public List<String> metricNames() { return List.of("rmse", "mae"); }
    public boolean lowerIsBetter(String metric) { return true; }

    public TrialModel create(Hyperparams params, PreparedData data, long seed) {
        int factors = params.getInt("factors");
        trainSizes.add(FeaturedRatingSplits.ratingsOf(data).train().size());
        boolean refit = data.params().containsKey(RatingSplits.REFIT_PARAM);
        boolean dies = killOnlyRefit ? refit : factors == killFactors;
        return new TrialModel() {
            private int epoch;

            public double trainEpoch(int next) {
                if (dies && next == killEpoch) throw new Killed();
                if (next != epoch + 1) throw new IllegalStateException("epoch " + next + " trained on a model at epoch " + epoch);
                epoch = next;
                return 1.0 / next;
            }

            public Map<String, Double> evaluate(Split split) {
                if (split == Split.TEST) return Map.of("rmse", (double) epoch, "mae", (double) epoch);
                double v = validation(factors, epoch);
                return Map.of("rmse", v, "mae", v);
            }

            public void saveCheckpoint(DataOutputStream out) throws IOException { out.writeInt(epoch); }
            public void loadCheckpoint(DataInputStream in) throws IOException { epoch = in.readInt(); }
            public void exportModel(Path dir) throws IOException { Files.writeString(dir.resolve("epoch.txt"), Integer.toString(epoch)); }
            public long parameterCount() { return 1; }
        };
    }
}
