package org.cinelab.models.layers;

/**
 * exp, sigmoid and tanh for the gate kernels, built only from IEEE-exact operations (add, multiply,
 * divide, fused multiply-add, integer conversion of whole numbers, bit shifts), so that the scalar
 * versions here and the vector versions in {@link VectorGateKernels} give the same bits, compiled or
 * interpreted. The JDK's vector EXP and TANH do not: the JIT's intrinsics and the interpreter's
 * fallback differ in the last bit, which made a training run's reported loss depend on how warm the
 * JIT was. Accuracy: exp within ~1 ulp (Cephes' expf polynomial); tanh within a few ulp (Eigen's
 * rational approximation; no lane masks, which the JDK 17 vector intrinsics do not support on 512-bit
 * registers and then emulate on the heap).
 */
final class GateMath {
    static final float LOG2E = 1.44269504088896341f;
    /** ln 2 split in two so that n * ln2 is subtracted without rounding error. */
    static final float LN2_HI = 0.693359375f, LN2_LO = -2.12194440e-4f;
    /** 1.5 * 2^23: adding and subtracting it rounds a float of magnitude below 2^22 to the nearest whole number. */
    static final float ROUND = 12582912f;
    static final float EXP_MAX = 88.0f, EXP_MIN = -87.0f;
    static final float P0 = 1.9875691500e-4f, P1 = 1.3981999507e-3f, P2 = 8.3334519073e-3f, P3 = 4.1665795894e-2f,
            P4 = 1.6666665459e-1f, P5 = 5.0000001201e-1f;
    /** tanh is a rational function of x (odd degree-13 numerator, even degree-6 denominator) on [-TANH_CLAMP, TANH_CLAMP]. */
    static final float TANH_CLAMP = 7.99881172180175781f;
    static final float A1 = 4.89352455891786e-03f, A3 = 6.37261928875436e-04f, A5 = 1.48572235717979e-05f, A7 = 5.12229709037114e-08f,
            A9 = -8.60467152213735e-11f, A11 = 2.00018790482477e-13f, A13 = -2.76076847742355e-16f;
    static final float B0 = 4.89352518554385e-03f, B2 = 2.26843463243900e-03f, B4 = 1.18534705686654e-04f, B6 = 1.19825839466702e-06f;

    private GateMath() {}

    /** e^x, x clamped to [-87, 88] (so the result is a normal float). */
    static float exp(float x) {
        x = Math.min(Math.max(x, EXP_MIN), EXP_MAX);
        float t = x * LOG2E + ROUND;
        float n = t - ROUND;
        float r = Math.fma(n, -LN2_HI, x);
        r = Math.fma(n, -LN2_LO, r);
        float p = Math.fma(Math.fma(Math.fma(Math.fma(Math.fma(P0, r, P1), r, P2), r, P3), r, P4), r, P5);
        float e = Math.fma(p, r * r, r) + 1f;
        // t = ROUND + n exactly, so its low bits hold n: (bits + 127) << 23 keeps the low 9 bits, n + 127, as the exponent of 2^n
        return e * Float.intBitsToFloat((Float.floatToRawIntBits(t) + 127) << 23);
    }

    static float sigmoid(float x) {
        return 1f / (exp(-x) + 1f);
    }

    static float tanh(float x) {
        x = Math.min(Math.max(x, -TANH_CLAMP), TANH_CLAMP);
        float z = x * x;
        float p = Math.fma(Math.fma(Math.fma(Math.fma(Math.fma(Math.fma(A13, z, A11), z, A9), z, A7), z, A5), z, A3), z, A1) * x;
        float q = Math.fma(Math.fma(Math.fma(B6, z, B4), z, B2), z, B0);
        return p / q;
    }
}
