package org.cinelab.data.text;

import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

class MinMaxScalerTest {
    /*
     * columns [1 3 5], [4 4 4], [-2 0 6]:
     *   col 0: range 4, scale 0.25, min -0.25  -> 0, 0.5, 1
     *   col 1: constant, scale 1, min -4        -> 0, 0, 0
     *   col 2: range 8, scale 0.125, min 0.25   -> 0, 0.25, 1
     * an unseen row [7 5 2] -> 1.5, 1, 0.5 (no clipping; a constant column gives x - min)
     */
    private static final int[][] TRAIN = {{1, 4, -2}, {3, 4, 0}, {5, 4, 6}};

    @Test
    void eachColumnIsScaledToZeroOneOnTheTrainingRows() {
        MinMaxScaler s = MinMaxScaler.fit(TRAIN);
        assertArrayEquals(new double[][] {{0, 0, 0}, {0.5, 0, 0.25}, {1, 0, 1}}, s.transform(TRAIN));
        assertArrayEquals(new double[] {0.25, 1, 0.125}, s.scale());
        assertArrayEquals(new double[] {-0.25, -4, 0.25}, s.min());
    }

    @Test
    void otherRowsUseTheTrainingScaleWithoutClipping() {
        MinMaxScaler s = MinMaxScaler.fit(TRAIN);
        assertArrayEquals(new double[][] {{1.5, 1, 0.5}}, s.transform(new int[][] {{7, 5, 2}}));
        assertArrayEquals(new float[][] {{1.5f, 1f, 0.5f}}, s.transformToFloat(new int[][] {{7, 5, 2}}));
    }

    @Test
    void doubleInputFollowsScikitLearnsArithmetic() {
        // range 0.3: scale = 1/0.3, min = -0.1 * scale; the max maps to 0.4*scale + min, computed in that order
        double[][] x = {{0.1}, {0.4}};
        MinMaxScaler s = MinMaxScaler.fit(x);
        double scale = 1.0 / (0.4 - 0.1);
        assertEquals(0.4 * scale + (0.0 - 0.1 * scale), s.transform(x)[1][0]);
    }
}
