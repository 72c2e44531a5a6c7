package org.cinelab.models.dec;

import org.cinelab.models.dl4j.DenseEncoder;
import org.cinelab.models.dl4j.Nd4jRuntime;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** CineLab's refinement computes what the SameDiff graph (itself checked against finite differences) computes. */
class ClusteringRefinerTest {
    private static final int IN = 40, K = 5, BATCH = 16, N = 60;

    /** Rows like DEC's input: scaled word ids at the end of mostly zero rows, so the encoder's first layer takes a band. */
    private static INDArray rows(SplittableRandom r) {
        float[] v = new float[N * IN];
        for (int i = 0; i < N; i++) {
            int words = 3 + r.nextInt(8);
            for (int c = IN - words; c < IN; c++) v[i * IN + c] = (float) r.nextDouble();
        }
        return Nd4j.createFromArray(v).reshape(N, IN);
    }

    private static List<INDArray> layers(SplittableRandom r, int[] widths, boolean bias) {
        List<INDArray> out = new ArrayList<>();
        for (int l = 0; l + 1 < widths.length; l++) {
            int n = bias ? widths[l + 1] : widths[l] * widths[l + 1];
            float[] v = new float[n];
            for (int i = 0; i < n; i++) v[i] = (float) ((r.nextDouble() - 0.5) * (bias ? 0.2 : 0.8));
            out.add(bias ? Nd4j.createFromArray(v) : Nd4j.createFromArray(v).reshape(widths[l], widths[l + 1]));
        }
        return out;
    }

    @Test
    void stepsMatchTheSameDiffGraphsGradientsAndClassicMomentum() {
        Nd4jRuntime.configure();
        for (double alpha : new double[]{1.0, 2.5}) {
            SplittableRandom r = new SplittableRandom(11);
            int[] widths = {IN, 12, 8, 3};
            List<INDArray> w = layers(r, widths, false), b = layers(r, widths, true);
            INDArray x = rows(r);
            float[][] mu = new float[K][3];
            for (float[] c : mu) for (int j = 0; j < 3; j++) c[j] = (float) (r.nextDouble() - 0.5);

            ClusteringRefiner refiner = new ClusteringRefiner(w, b, mu, alpha, BATCH);
            ClusteringGraph graph = new ClusteringGraph(w, b, Nd4j.createFromArray(mu), alpha, DataType.FLOAT);
            DenseEncoder.Rows rows = new DenseEncoder.Rows(x);
            double[][] q = refiner.softAssign(refiner.embed(rows));
            assertClose(graph.softAssign(x), q, 1e-5, "soft assignments, alpha " + alpha);
            double[][] p = ClusteringRefiner.target(q);

            List<String> names = new ArrayList<>();
            for (int l = 0; l < w.size(); l++) names.addAll(List.of("W" + l, "b" + l));
            names.add(ClusteringGraph.CENTRES);
            Map<String, INDArray> velocity = new java.util.HashMap<>();
            double lr = 0.05, momentum = 0.9;
            for (int step = 0; step < 4; step++) {
                int[] batch = new int[BATCH];
                for (int i = 0; i < BATCH; i++) batch[i] = (step * BATCH + i * 7) % N;
                INDArray xb = x.getRows(batch), pb = Nd4j.createFromArray(toFloat(p, batch));
                Map<String, INDArray> grads = graph.sameDiff().calculateGradients(Map.of(ClusteringGraph.INPUT, xb, ClusteringGraph.TARGET, pb), names);
                double expectedLoss = graph.loss(xb, pb);

                double loss = refiner.lossAndGradients(rows, batch, p);
                String at = "alpha " + alpha + ", step " + step;
                assertEquals(expectedLoss, loss, 1e-5 * (1 + Math.abs(expectedLoss)), "loss, " + at);
                for (int l = 0; l < w.size(); l++) {
                    assertClose(grads.get("W" + l), refiner.encoder().weightGradient(l), "W" + l + " gradient, " + at);
                    assertClose(grads.get("b" + l), refiner.encoder().biasGradient(l), "b" + l + " gradient, " + at);
                }
                double[] muGrad = refiner.centreGradient();
                INDArray expectedMu = grads.get(ClusteringGraph.CENTRES);
                for (int j = 0; j < K; j++) {
                    for (int c = 0; c < 3; c++) {
                        assertEquals(expectedMu.getDouble(j, c), muGrad[j * 3 + c], 1e-5 + 1e-4 * Math.abs(expectedMu.getDouble(j, c)),
                                "mu gradient [" + j + ", " + c + "], " + at);
                    }
                }
                // the same step on both: classic momentum v = m v - lr g; w += v
                refiner.step(rows, batch, p, lr, momentum);
                for (String name : names) {
                    INDArray v = velocity.computeIfAbsent(name, n -> Nd4j.zeros(DataType.FLOAT, grads.get(n).shape()));
                    v.muli(momentum).subi(grads.get(name).mul(lr));
                    graph.sameDiff().getVariable(name).getArr().addi(v);
                }
            }
            for (int l = 0; l < w.size(); l++) {
                assertClose(graph.sameDiff().getVariable("W" + l).getArr(), refiner.weights().get(l), "W" + l + " after 4 steps, alpha " + alpha);
            }
            assertClose(graph.centres(), Nd4j.createFromArray(refiner.centres()), "centres after 4 steps, alpha " + alpha);
        }
    }

    private static float[][] toFloat(double[][] p, int[] rows) {
        float[][] out = new float[rows.length][];
        for (int i = 0; i < rows.length; i++) {
            out[i] = new float[p[rows[i]].length];
            for (int j = 0; j < out[i].length; j++) out[i][j] = (float) p[rows[i]][j];
        }
        return out;
    }

    private static void assertClose(INDArray expected, double[][] actual, double tolerance, String what) {
        for (int i = 0; i < actual.length; i++) {
            for (int j = 0; j < actual[i].length; j++) {
                assertEquals(expected.getDouble(i, j), actual[i][j], tolerance, what + " [" + i + ", " + j + "]");
            }
        }
    }

    private static void assertClose(INDArray expected, INDArray actual, String what) {
        assertEquals(expected.length(), actual.length(), what + ": length");
        INDArray e = expected.reshape(expected.length()), a = actual.reshape(actual.length());
        double largest = e.amaxNumber().doubleValue();
        for (long i = 0; i < e.length(); i++) {
            double want = e.getDouble(i), got = a.getDouble(i);
            assertTrue(Math.abs(want - got) <= 1e-5 * largest + 1e-4 * Math.abs(want) + 1e-9,
                    what + " [" + i + "]: SameDiff " + want + ", CineLab " + got);
        }
    }
}
