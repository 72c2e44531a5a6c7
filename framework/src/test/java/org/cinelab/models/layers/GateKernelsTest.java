package org.cinelab.models.layers;

import org.junit.jupiter.api.Test;

import java.nio.ByteBuffer;
import java.util.Random;

import static org.junit.jupiter.api.Assertions.*;

class GateKernelsTest {
    private static ByteBuffer random(int floats, Random r, float scale) {
        ByteBuffer b = ByteBuffer.allocate(4 * floats).order(NativeMemory.ORDER);
        for (int i = 0; i < floats; i++) b.putFloat(4 * i, (float) r.nextGaussian() * scale);
        return b;
    }

    private static ByteBuffer copy(ByteBuffer b) {
        ByteBuffer c = ByteBuffer.allocate(b.capacity()).order(NativeMemory.ORDER);
        c.put(0, b, 0, b.capacity());
        return c;
    }

    /** exp, sigmoid and tanh against Math's over a wide range: a few float ulps. */
    @Test
    void gateMathIsAccurate() {
        for (float x = -30f; x <= 30f; x += 0.0137f) {
            double sig = 1 / (1 + Math.exp(-x)), th = Math.tanh(x);
            assertEquals(sig, GateMath.sigmoid(x), 3 * Math.ulp((float) sig) + 1e-30, "sigmoid(" + x + ")");
            assertEquals(th, GateMath.tanh(x), 4 * Math.ulp((float) th) + 1e-30, "tanh(" + x + ")");
            if (x > -80 && x < 80) assertEquals(Math.exp(x), GateMath.exp(x), 2 * Math.ulp((float) Math.exp(x)), "exp(" + x + ")");
        }
    }

    private static void assertClose(ByteBuffer expected, ByteBuffer actual, String what) {
        for (int i = 0; i < expected.capacity() / 4; i++) {
            float e = expected.getFloat(4 * i), a = actual.getFloat(4 * i);
            assertEquals(Float.floatToIntBits(e), Float.floatToIntBits(a), what + "[" + i + "]: " + e + " vs " + a);
        }
    }

    /**
     * The same bits, so that results do not depend on the JVM or on how far the JIT got. 37 units: two
     * 16-lane vectors (on AVX-512) and a scalar tail; a masked example and a half-masked one.
     */
    @Test
    void vectorAndScalarKernelsComputeTheSameBits() {
        assertTrue(ModuleLayer.boot().findModule("jdk.incubator.vector").isPresent(), "tests run with --add-modules jdk.incubator.vector");
        assertInstanceOf(VectorGateKernels.class, GateKernels.fastest());
        for (int round = 0; round < 4; round++) compareOnce(round);
    }

    private static void compareOnce(int round) {
        int batch = 5, hidden = 37;
        Random r = new Random(3 + round);
        // the last round's pre-activations reach past the exponential's and tanh's clamps (|x| > 88 and > 8)
        ByteBuffer z = random(batch * 4 * hidden, r, round == 3 ? 120 : 2), bias = random(4 * hidden, r, 1), cells = random(2 * batch * hidden, r, 1),
                dh = random(batch * hidden, r, 1), carry = random(batch * hidden, r, 1);
        ByteBuffer mask = ByteBuffer.allocate(4 * batch).order(NativeMemory.ORDER);
        for (int b = 0; b < batch; b++) mask.putFloat(4 * b, b == 1 ? 0f : b == 3 ? 0.5f : 1f);
        ByteBuffer[] results = new ByteBuffer[10];
        GateKernels[] kernels = {new ScalarGateKernels(), new VectorGateKernels()};
        for (int k = 0; k < 2; k++) {
            ByteBuffer zk = copy(z), ck = copy(cells), tc = ByteBuffer.allocate(4 * batch * hidden).order(NativeMemory.ORDER),
                    h = ByteBuffer.allocate(4 * batch * hidden).order(NativeMemory.ORDER), dhk = copy(dh), carryK = copy(carry);
            kernels[k].forward(batch, hidden, zk, 0, bias, ck, 0, 4 * batch * hidden, tc, 0, h, 0, mask, 0);
            results[5 * k] = copy(zk);
            results[5 * k + 1] = copy(ck);
            results[5 * k + 2] = h;
            kernels[k].backward(batch, hidden, zk, 0, tc, 0, ck, 0, dhk, 0, carryK, mask, 0);
            results[5 * k + 3] = zk;
            results[5 * k + 4] = carryK;
        }
        String[] names = {"activations", "cells", "hidden", "pre-activation gradients", "carry"};
        for (int i = 0; i < 5; i++) assertClose(results[i], results[5 + i], names[i]);
        for (int j = 0; j < hidden; j++) assertEquals(0f, Math.abs(results[2].getFloat(4 * (hidden + j))), "a masked example outputs 0");
    }
}
