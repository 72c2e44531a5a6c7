package org.cinelab.models.dec;

import org.junit.jupiter.api.Test;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

class ClusteringGraphTest {
    private static final double EPS = 1e-6;

    private static ClusteringGraph graph(double alpha) {
        Nd4j.getRandom().setSeed(7);
        List<INDArray> w = List.of(Nd4j.rand(DataType.DOUBLE, 6, 5).subi(0.5), Nd4j.rand(DataType.DOUBLE, 5, 3).subi(0.5));
        List<INDArray> b = List.of(Nd4j.rand(DataType.DOUBLE, 5).muli(0.1), Nd4j.rand(DataType.DOUBLE, 3).muli(0.1));
        INDArray mu = Nd4j.rand(DataType.DOUBLE, 4, 3).subi(0.5);
        return new ClusteringGraph(w, b, mu, alpha, DataType.DOUBLE);
    }

    @Test
    void klGradientsOfEncoderAndCentresMatchFiniteDifferences() {
        DataType before = Nd4j.dataType();
        Nd4j.setDefaultDataTypes(DataType.DOUBLE, DataType.DOUBLE);
        try {
            checkBothAlphas();
        } finally {
            Nd4j.setDefaultDataTypes(before, before);
        }
    }

    private static void checkBothAlphas() {
        for (double alpha : new double[]{1.0, 2.5}) {
            ClusteringGraph g = graph(alpha);
            INDArray x = Nd4j.rand(DataType.DOUBLE, 7, 6);
            INDArray p = Nd4j.createFromArray(ClusteringRefiner.target(g.softAssign(x).toDoubleMatrix()));
            Map<String, INDArray> feed = Map.of(ClusteringGraph.INPUT, x, ClusteringGraph.TARGET, p);
            List<String> names = List.of("W0", "b0", "W1", "b1", ClusteringGraph.CENTRES);
            Map<String, INDArray> grads = g.sameDiff().calculateGradients(feed, names);
            for (String name : names) {
                INDArray w = g.sameDiff().getVariable(name).getArr();
                INDArray flat = w.reshape(w.length());
                INDArray grad = grads.get(name).reshape(w.length());
                for (long i = 0; i < w.length(); i++) {
                    double original = flat.getDouble(i);
                    flat.putScalar(i, original + EPS);
                    double plus = g.loss(x, p);
                    flat.putScalar(i, original - EPS);
                    double minus = g.loss(x, p);
                    flat.putScalar(i, original);
                    double numeric = (plus - minus) / (2 * EPS);
                    double analytic = grad.getDouble(i);
                    double scale = Math.max(Math.abs(numeric) + Math.abs(analytic), 1e-8);
                    assertTrue(Math.abs(numeric - analytic) / scale < 1e-5 || Math.abs(numeric - analytic) < 1e-9,
                            name + "[" + i + "] alpha " + alpha + ": analytic " + analytic + " vs numeric " + numeric);
                }
            }
        }
    }

    @Test
    void softAssignmentIsTheNormalisedStudentTKernel() {
        ClusteringGraph g = graph(1.0);
        INDArray x = Nd4j.rand(DataType.DOUBLE, 3, 6);
        double[][] z = g.embed(x).toDoubleMatrix();
        double[][] mu = g.centres().toDoubleMatrix();
        double[][] q = g.softAssign(x).toDoubleMatrix();
        for (int i = 0; i < z.length; i++) {
            double[] k = new double[mu.length];
            double sum = 0;
            for (int j = 0; j < mu.length; j++) {
                double d = 0;
                for (int e = 0; e < z[i].length; e++) d += (z[i][e] - mu[j][e]) * (z[i][e] - mu[j][e]);
                k[j] = 1 / (1 + d);
                sum += k[j];
            }
            for (int j = 0; j < mu.length; j++) assertEquals(k[j] / sum, q[i][j], 1e-9);
        }
    }

    @Test
    void targetSharpensEachRowAndNormalisesIt() {
        double[][] p = ClusteringRefiner.target(new double[][]{{0.6, 0.4}, {0.5, 0.5}});
        double f0 = 1.1, f1 = 0.9;
        double a = 0.36 / f0, b = 0.16 / f1;
        assertArrayEquals(new double[]{a / (a + b), b / (a + b)}, p[0], 1e-12);
        assertTrue(p[0][0] > 0.6);
        assertEquals(1.0, p[1][0] + p[1][1], 1e-12);
    }
}
