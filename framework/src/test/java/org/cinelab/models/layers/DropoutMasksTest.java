package org.cinelab.models.layers;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.api.ops.random.impl.DropOutInverted;
import org.nd4j.linalg.factory.Nd4j;

import static org.junit.jupiter.api.Assertions.*;

/** The Java mask against ND4J's own {@code DropOutInverted}: same values, same generator afterwards. */
class DropoutMasksTest {
    @ParameterizedTest(name = "seed {0}, retain {1}, {2} values")
    @CsvSource({"1, 0.8, 65536", "7, 0.5, 1000", "-5, 0.9, 33", "123456789012345, 0.2, 4097", "42, 0.75, 1"})
    void drawsNd4jsMasksAndLeavesItsGeneratorWhereNd4jLeavesIt(long seed, double retain, int n) {
        Nd4j.getRandom().setSeed(seed);
        float[][] nd4j = new float[3][];
        for (int round = 0; round < 3; round++) nd4j[round] = nativeMask(n, retain);
        long nodeAfter = Nd4j.getRandom().nodeState();
        float afterThat = Nd4j.getRandom().nextFloat();

        Nd4j.getRandom().setSeed(seed);
        DropoutMasks.Draw draw = new DropoutMasks.Draw(); // one, drawn into each round, as the trainers keep it
        for (int round = 0; round < 3; round++) {
            float[] java = new float[n + 3];
            draw.next(n, retain);
            // in two parts at an offset, as the trainers' lanes fill it
            int half = n / 2 + 1;
            draw.fill(java, 3, 0, Math.min(half, n));
            if (half < n) draw.fill(java, 3 + half, half, n - half);
            assertArrayEquals(nd4j[round], unpadded(java, n), "round " + round);
        }
        assertEquals(nodeAfter, Nd4j.getRandom().nodeState(), "the generator moved on as the native operation moves it");
        assertEquals(afterThat, Nd4j.getRandom().nextFloat(), "what is drawn next is unchanged");

        int dropped = 0;
        for (float[] m : nd4j) for (float v : m) if (v == 0) dropped++;
        if (n >= 1000) assertEquals(1 - retain, dropped / (3.0 * n), 0.05, "the test compares real masks, not all ones");
    }

    private static float[] nativeMask(int n, double retain) {
        INDArray a = Nd4j.ones(DataType.FLOAT, n);
        Nd4j.getExecutioner().exec(new DropOutInverted(a, a, retain));
        return a.data().asFloat();
    }

    private static float[] unpadded(float[] padded, int n) {
        float[] out = new float[n];
        System.arraycopy(padded, 3, out, 0, n);
        return out;
    }
}
