package org.cinelab.models;

import org.cinelab.data.NoData;
import org.cinelab.runner.ExperimentResult;
import org.cinelab.runner.ExperimentRunner;
import org.cinelab.runner.RunOptions;
import org.cinelab.space.Hyperparams;
import org.cinelab.spec.ExperimentSpec;
import org.cinelab.spec.SpecLoader;
import org.cinelab.tracking.MlflowFileStore;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.PrintWriter;
import java.io.ByteArrayInputStream;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class BenchmarkFunctionModelTest {
    private static final BenchmarkFunctionModel MODEL = new BenchmarkFunctionModel();

    private static TrialModel point(String function, double... x) { return point(function, Map.of(), x); }

    private static TrialModel point(String function, Map<String, Object> more, double... x) {
        Map<String, Object> p = new HashMap<>(more);
        p.put("function", function);
        for (int i = 0; i < x.length; i++) p.put("x" + (i + 1), x[i]);
        return MODEL.create(Hyperparams.resolve(MODEL.hyperParameters(), Map.of(), p), new NoData(), 11);
    }

    private static double value(TrialModel m, int epoch) {
        m.trainEpoch(epoch);
        return m.evaluate(TrialModel.Split.VALIDATION).get("value");
    }

    @Test
    void braninIsMinimalAtItsThreeKnownMinimisers() {
        for (double[] x : List.of(new double[] {-Math.PI, 12.275}, new double[] {Math.PI, 2.275}, new double[] {9.42478, 2.475})) {
            Map<String, Double> m = (point("branin", x)).evaluate(TrialModel.Split.VALIDATION);
            assertEquals(0.397887, m.get("value"), 1e-5);
            assertEquals(0, m.get("regret"), 1e-5);
        }
        assertEquals(56 - 5 / (4 * Math.PI), TestFunction.BRANIN.value(new double[] {0, 0}), 1e-12);
    }

    @Test
    void hartmann6IsMinimalAtItsKnownMinimiser() {
        double[] best = {0.20169, 0.150011, 0.476874, 0.275332, 0.311652, 0.6573};
        assertEquals(-3.32237, TestFunction.HARTMANN6.value(best), 1e-5);
        Map<String, Double> m = point("hartmann6", best).evaluate(TrialModel.Split.TEST);
        assertTrue(m.get("regret") >= 0 && m.get("regret") < 1e-5, m.toString());
        // no nearby point is lower: the stored minimum is the function's
        for (int k = 0; k < 6; k++) {
            for (double d : new double[] {-1e-4, 1e-4}) {
                double[] x = best.clone();
                x[k] += d;
                assertTrue(TestFunction.HARTMANN6.value(x) > TestFunction.HARTMANN6.minimum() - 1e-9);
            }
        }
    }

    @Test
    void theConvergingVariantApproachesFxFromAboveAndTheOthersDoNot() {
        double fx = TestFunction.HARTMANN6.value(new double[] {0.2, 0.2, 0.5, 0.3, 0.3, 0.7});
        TrialModel converging = point("hartmann6-converging", 0.2, 0.2, 0.5, 0.3, 0.3, 0.7);
        double previous = Double.POSITIVE_INFINITY;
        for (int e = 1; e <= 30; e++) {
            double v = value(converging, e);
            assertEquals(fx + (1 + Math.abs(fx)) * Math.exp(-e / 3.0), v, 1e-12);
            assertTrue(v < previous && v > fx);
            previous = v;
        }
        TrialModel flat = point("hartmann6", 0.2, 0.2, 0.5, 0.3, 0.3, 0.7);
        assertEquals(fx, value(flat, 1), 1e-12);
        assertEquals(fx, value(flat, 9), 1e-12);
    }

    @Test
    void aCheckpointContinuesAtItsEpochAndTestEqualsValidation() throws Exception {
        TrialModel m = point("branin-converging", Map.of("noise", 0.1), 1, 2);
        for (int e = 1; e <= 4; e++) m.trainEpoch(e);
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        m.saveCheckpoint(new DataOutputStream(bytes));
        TrialModel restored = point("branin-converging", Map.of("noise", 0.1), 1, 2);
        restored.loadCheckpoint(new DataInputStream(new ByteArrayInputStream(bytes.toByteArray())));

        assertEquals(m.evaluate(TrialModel.Split.VALIDATION), restored.evaluate(TrialModel.Split.VALIDATION));
        assertEquals(m.evaluate(TrialModel.Split.VALIDATION), m.evaluate(TrialModel.Split.TEST));
        assertEquals(value(m, 5), value(restored, 5), "the seeded noise of epoch 5 is the same after a restore");
        assertNotEquals(value(m, 6), value(point("branin-converging", 1, 2), 6), "noise changes the value");
    }

    @Test
    void aHartmannPointOutsideTheUnitCubeIsRefusedWithTheRangeToSearch() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> point("hartmann6", 0.5, 3));
        assertEquals("function hartmann6 is defined for x2 in [0, 1], got 3; search x2 within that range", e.getMessage());
    }

    @Test
    void theExampleSpecRunsThroughTheEngineWithTpeOnTheNoneDataset(@TempDir Path tmp) throws Exception {
        ExperimentSpec spec = SpecLoader.load(Path.of("../experiments/bench-hartmann6-tpe.yaml"),
                List.of("search.trials=14", "search.sampler.startup_trials=10"));
        try (MlflowFileStore store = new MlflowFileStore(tmp.resolve("mlruns"))) {
            ExperimentResult r = new ExperimentRunner(spec, store, new RunOptions(1, false, tmp.resolve("data"), tmp.resolve("state"),
                    new PrintWriter(java.io.Writer.nullWriter()))).run();
            assertEquals(14, r.trials().size());
            assertEquals(r.best().objective(), r.best().test().get("value"), 0);
            assertEquals(r.best().objective() - TestFunction.HARTMANN6.minimum(), r.best().test().get("regret"), 1e-12);
            assertTrue(r.best().test().get("regret") > 0);
            assertTrue(r.idleFraction() >= 0 && r.idleFraction() < 1, "idle fraction " + r.idleFraction());
        }
    }
}
