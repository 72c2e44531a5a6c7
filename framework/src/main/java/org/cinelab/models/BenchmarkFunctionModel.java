package org.cinelab.models;

import org.cinelab.data.NoData;
import org.cinelab.data.PreparedData;
import org.cinelab.space.HyperParameter;
import org.cinelab.space.Hyperparams;

import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Random;

/**
 * {@code model.type: benchmark-function}: a test function with a known minimum in place of a model
 * (on {@code dataset: {name: none}}), so that samplers and schedulers are measured in seconds. The
 * hyperparameters x1..x6 are the point; the metrics are the function's {@code value} and its
 * {@code regret} (value minus the global minimum), on validation and test alike.
 *
 * <p>{@code branin} and {@code hartmann6} give f(x) after every epoch. Their {@code -converging}
 * variants give f(x) + (1 + |f(x)|) exp(-epoch / decay), which approaches f(x) as epochs go by, so
 * that multi-fidelity schedulers have curves to compare and prune. {@code noise} adds a seeded
 * normal error to each epoch's value; {@code epoch_millis} makes each epoch take that long (times a
 * per-trial factor in [0.5, 1.5) from the trial seed, as real trials differ in speed), to measure
 * how schedulers use workers. The checkpoint is the epoch count.
 */
public final class BenchmarkFunctionModel implements ModelFactory {
    public static final String TYPE = "benchmark-function";
    public static final List<String> FUNCTIONS = List.of("branin", "branin-converging", "hartmann6", "hartmann6-converging");
    private static final int DIMENSIONS = 6;

    @Override
    public String type() { return TYPE; }

    @Override
    public String description() {
        return "a test function with a known minimum (Branin, Hartmann-6, optionally converging over epochs), for measuring samplers and schedulers";
    }

    @Override
    public Class<? extends PreparedData> dataType() { return NoData.class; }

    @Override
    public List<HyperParameter> hyperParameters() {
        List<HyperParameter> hp = new ArrayList<>();
        hp.add(HyperParameter.choice("function", "hartmann6", FUNCTIONS,
                "branin (x1 in [-5, 10], x2 in [0, 15]) or hartmann6 (x1..x6 in [0, 1]); -converging: approaches f(x) over epochs"));
        hp.add(HyperParameter.real("x1", 0.5, -5, 10, "first coordinate (Branin: [-5, 10]; Hartmann-6: [0, 1])"));
        hp.add(HyperParameter.real("x2", 0.5, 0, 15, "second coordinate (Branin: [0, 15]; Hartmann-6: [0, 1])"));
        for (int i = 3; i <= DIMENSIONS; i++) hp.add(HyperParameter.real("x" + i, 0.5, 0, 1, "coordinate " + i + " (Hartmann-6 only)"));
        hp.add(HyperParameter.real("decay", 3, 0.1, 1000, "converging variants: epochs over which the gap to f(x) shrinks by a factor e"));
        hp.add(HyperParameter.real("noise", 0, 0, 1000, "standard deviation of a seeded normal error added to each epoch's value"));
        hp.add(HyperParameter.integer("epoch_millis", 0, 0, 3_600_000, "simulated training time per epoch, in milliseconds"));
        return hp;
    }

    @Override
    public String defaultObjectiveMetric() { return "value"; }

    @Override
    public List<String> metricNames() { return List.of("value", "regret"); }

    @Override
    public boolean lowerIsBetter(String metric) { return true; }

    @Override
    public TrialModel create(Hyperparams params, PreparedData data, long seed) {
        String function = params.getString("function");
        TestFunction f = function.startsWith("branin") ? TestFunction.BRANIN : TestFunction.HARTMANN6;
        double[] x = new double[DIMENSIONS];
        for (int i = 0; i < DIMENSIONS; i++) x[i] = params.getDouble("x" + (i + 1));
        for (int i = 0; i < f.dimensions(); i++) {
            if (x[i] < f.low(i) || x[i] > f.high(i)) {
                throw new IllegalArgumentException(String.format(Locale.ROOT, "function %s is defined for x%d in [%s, %s], got %s;"
                        + " search x%d within that range", function, i + 1, num(f.low(i)), num(f.high(i)), num(x[i]), i + 1));
            }
        }
        return new Point(function, f, x, function.endsWith("-converging"), params.getDouble("decay"), params.getDouble("noise"),
                params.getInt("epoch_millis"), seed);
    }

    private static String num(double v) { return v == Math.rint(v) ? Long.toString((long) v) : Double.toString(v); }

    /** One trial: the point, and how many epochs it has "trained". */
    static final class Point implements TrialModel {
        private final String function;
        private final TestFunction f;
        private final double[] x;
        private final double fx;
        private final boolean converging;
        private final double decay, noise;
        private final long epochMillis;
        private final long seed;
        private int epochs;

        Point(String function, TestFunction f, double[] x, boolean converging, double decay, double noise, int epochMillis, long seed) {
            this.function = function;
            this.f = f;
            this.x = x.clone();
            this.fx = f.value(x);
            this.converging = converging;
            this.decay = decay;
            this.noise = noise;
            this.seed = seed;
            // Trials differ in speed, as real ones do: a factor in [0.5, 1.5) fixed by the trial seed.
            this.epochMillis = Math.round(epochMillis * (0.5 + new Random(seed ^ 0x5EEDL).nextDouble()));
        }

        /** The value reported after {@code epoch} epochs. */
        double valueAt(int epoch) {
            double v = converging ? fx + (1 + Math.abs(fx)) * Math.exp(-epoch / decay) : fx;
            if (noise > 0) v += noise * new Random(seed * 0x9E3779B97F4A7C15L + epoch).nextGaussian();
            return v;
        }

        @Override
        public double trainEpoch(int epoch) {
            if (epochMillis > 0) {
                try {
                    Thread.sleep(epochMillis);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
            }
            epochs = epoch;
            return valueAt(epoch);
        }

        @Override
        public Map<String, Double> evaluate(Split split) {
            double v = valueAt(epochs);
            Map<String, Double> m = new LinkedHashMap<>();
            m.put("value", v);
            m.put("regret", v - f.minimum());
            return m;
        }

        @Override
        public void saveCheckpoint(DataOutputStream out) throws IOException { out.writeInt(epochs); }

        @Override
        public void loadCheckpoint(DataInputStream in) throws IOException { epochs = in.readInt(); }

        @Override
        public void exportModel(Path dir) throws IOException {
            Files.createDirectories(dir);
            StringBuilder sb = new StringBuilder("function: ").append(function).append('\n');
            for (int i = 0; i < f.dimensions(); i++) sb.append('x').append(i + 1).append(": ").append(x[i]).append('\n');
            sb.append("epochs: ").append(epochs).append('\n');
            sb.append("value: ").append(valueAt(epochs)).append('\n');
            sb.append("f(x): ").append(fx).append('\n');
            sb.append("minimum: ").append(f.minimum()).append('\n');
            Files.writeString(dir.resolve("point.yaml"), sb.toString(), StandardCharsets.UTF_8);
        }

        @Override
        public long parameterCount() { return 0; }
    }
}
