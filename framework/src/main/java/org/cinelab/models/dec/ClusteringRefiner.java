package org.cinelab.models.dec;

import org.cinelab.models.dl4j.DenseEncoder;
import org.cinelab.models.dl4j.Nd4jRuntime;
import org.cinelab.models.layers.SplitLoop;
import org.nd4j.linalg.api.ndarray.INDArray;

import java.nio.FloatBuffer;
import java.util.ArrayList;
import java.util.List;

/**
 * DEC's refinement on CineLab's dense engine: the encoder's forward pass and backprop are a
 * {@link DenseEncoder}'s (split over the threads, the first layer on the batch's band of non-zero
 * input columns: DEC's padded rows leave ~1,460 of 1,500 zero), the clustering layer and its KL loss are loops over the batch's
 * {@code [batch, k]} assignments, and the update is classic SGD momentum. It computes what
 * {@link ClusteringGraph} (SameDiff) computes, up to float rounding, several times faster: SameDiff
 * multiplies all 1,500 input columns and runs on one OpenBLAS thread.
 *
 * <p>The loss is {@code KL(P‖Q)} averaged over the batch with {@code P} and {@code Q} clipped to
 * {@code [1e-7, 1]} inside the logarithms, as Keras's {@code kld}; where {@code Q} is clipped its
 * gradient is 0, as the clip's.
 */
final class ClusteringRefiner {
    private static final double EPS = 1e-7;
    private static final int CHUNK = 4096;

    private final DenseEncoder encoder;
    private final int k, width;
    private final double alpha;
    /** Centres {@code [k, width]} row-major and their velocity; their gradient (summed in doubles). */
    private final float[] centres, centreVelocity;
    private final double[] centreGrad;
    /** The encoder's velocity, and per lane heap chunks for the momentum pass. */
    private final float[] velocity;
    private final float[][] laneParams, laneGrads;
    private final int threads;
    private final SplitLoop.Body momentumPass = this::momentumRange;
    private float passLr, passMomentum;
    /** Per row of a batch: its embedding, dLoss/dz, and per cluster its kernel, 1 + d²/α, dLoss/dq and dLoss/dd². */
    private final float[] z;
    private final double[] dz, kernel, t, g, dd;

    ClusteringRefiner(List<INDArray> weights, List<INDArray> biases, float[][] initialCentres, double alpha, int maxBatch) {
        this.encoder = new DenseEncoder(weights, biases, maxBatch);
        this.k = initialCentres.length;
        this.width = encoder.outputs();
        this.alpha = alpha;
        centres = new float[k * width];
        setCentres(initialCentres);
        centreGrad = new double[k * width];
        centreVelocity = new float[k * width];
        velocity = new float[Math.toIntExact(encoder.parameterCount())];
        threads = Nd4jRuntime.threads();
        laneParams = new float[SplitLoop.lanes(threads)][CHUNK];
        laneGrads = new float[laneParams.length][CHUNK];
        z = new float[width];
        dz = new double[width];
        kernel = new double[k];
        t = new double[k];
        g = new double[k];
        dd = new double[k];
    }

    void setCentres(float[][] c) {
        for (int j = 0; j < k; j++) System.arraycopy(c[j], 0, centres, j * width, width);
    }

    float[][] centres() {
        float[][] c = new float[k][width];
        for (int j = 0; j < k; j++) System.arraycopy(centres, j * width, c[j], 0, width);
        return c;
    }

    /** Every row's embedding {@code [n, width]}. */
    float[][] embed(DenseEncoder.Rows x) {
        float[][] out = new float[x.count()][width];
        for (int from = 0; from < x.count(); from += encoder.maxBatch()) {
            int to = Math.min(x.count(), from + encoder.maxBatch());
            FloatBuffer o = encoder.forward(x, null, from, to);
            for (int r = from; r < to; r++) o.get((r - from) * width, out[r], 0, width);
        }
        return out;
    }

    /** Student-t soft assignments {@code q_ij ∝ (1 + |z_i − μ_j|²/α)^(−(α+1)/2)} of embeddings {@code z}. */
    double[][] softAssign(float[][] embeddings) {
        double[][] q = new double[embeddings.length][];
        for (int i = 0; i < embeddings.length; i++) {
            q[i] = new double[k];
            double sum = kernels(embeddings[i]);
            for (int j = 0; j < k; j++) q[i][j] = kernel[j] / sum;
        }
        return q;
    }

    /** {@link #kernel} and {@link #t} ({@code 1 + d²/α}) of one embedding; returns their sum. */
    private double kernels(float[] e) {
        double sum = 0, power = -(alpha + 1) / 2;
        for (int j = 0; j < k; j++) {
            double d2 = 0;
            for (int c = 0; c < width; c++) {
                double diff = e[c] - centres[j * width + c];
                d2 += diff * diff;
            }
            t[j] = 1 + d2 / alpha;
            kernel[j] = alpha == 1 ? 1 / t[j] : Math.pow(t[j], power);
            sum += kernel[j];
        }
        return sum;
    }

    /** DEC's target: {@code p_ij = (q_ij² / f_j)} normalised per row, {@code f_j = Σ_i q_ij}. */
    static double[][] target(double[][] q) {
        int k = q.length == 0 ? 0 : q[0].length;
        double[] f = new double[k];
        for (double[] row : q) for (int j = 0; j < k; j++) f[j] += row[j];
        double[][] p = new double[q.length][k];
        for (int i = 0; i < q.length; i++) {
            double sum = 0;
            for (int j = 0; j < k; j++) sum += p[i][j] = q[i][j] * q[i][j] / f[j];
            for (int j = 0; j < k; j++) p[i][j] /= sum;
        }
        return p;
    }

    /** {@code KL(P‖Q)} averaged over the rows, P and Q clipped to {@code [1e-7, 1]} in the logarithms. */
    static double loss(double[][] p, double[][] q) {
        double total = 0;
        for (int i = 0; i < q.length; i++) {
            for (int j = 0; j < q[i].length; j++) total += p[i][j] * (Math.log(clip(p[i][j])) - Math.log(clip(q[i][j])));
        }
        return total / q.length;
    }

    private static double clip(double v) { return Math.min(1, Math.max(EPS, v)); }

    /** One SGD-with-momentum step ({@code v = m·v − lr·g; w += v}) on rows {@code batch} of {@code x}, {@code p} the target of all rows. */
    double step(DenseEncoder.Rows x, int[] batch, double[][] p, double lr, double momentum) {
        double loss = lossAndGradients(x, batch, p);
        passLr = (float) lr;
        passMomentum = (float) momentum;
        SplitLoop.run(threads, velocity.length, CHUNK, velocity.length, momentumPass);
        for (int i = 0; i < centres.length; i++) {
            centreVelocity[i] = passMomentum * centreVelocity[i] - passLr * (float) centreGrad[i];
            centres[i] += centreVelocity[i];
        }
        return loss;
    }

    /**
     * The batch's mean loss, and its gradient: the encoder's in {@link DenseEncoder#gradients()}, the
     * centres' in {@link #centreGradient()}. With {@code g_ij = −p_ij/(q_ij·B)} (0 where Q is clipped):
     * {@code dL/dκ_il = (g_il − Σ_j g_ij q_ij) / Σ_j κ_ij}, {@code dL/dd_il = dL/dκ_il · κ_il · −(α+1)/(2α t_il)},
     * {@code dL/dz_i = Σ_l dL/dd_il · 2(z_i − μ_l)} and {@code dL/dμ_l = −Σ_i dL/dd_il · 2(z_i − μ_l)}.
     */
    double lossAndGradients(DenseEncoder.Rows x, int[] batch, double[][] p) {
        int b = batch.length;
        FloatBuffer out = encoder.forward(x, batch, 0, b), delta = encoder.outputDelta();
        java.util.Arrays.fill(centreGrad, 0);
        double total = 0, scale = -(alpha + 1) / (2 * alpha);
        for (int r = 0; r < b; r++) {
            out.get(r * width, z, 0, width);
            double sum = kernels(z), gq = 0;
            double[] pr = p[batch[r]];
            for (int j = 0; j < k; j++) {
                double q = kernel[j] / sum;
                total += pr[j] * (Math.log(clip(pr[j])) - Math.log(clip(q)));
                g[j] = q >= EPS && q <= 1 ? -pr[j] / (q * b) : 0;
                gq += g[j] * q;
            }
            java.util.Arrays.fill(dz, 0);
            for (int l = 0; l < k; l++) {
                double dKernel = (g[l] - gq) / sum;
                dd[l] = dKernel * kernel[l] * scale / t[l];
                for (int c = 0; c < width; c++) {
                    double v = 2 * dd[l] * (z[c] - centres[l * width + c]);
                    dz[c] += v;
                    centreGrad[l * width + c] -= v;
                }
            }
            for (int c = 0; c < width; c++) delta.put(r * width + c, (float) dz[c]);
        }
        encoder.backward(b);
        return total / b;
    }

    /** dLoss/dμ {@code [k, width]} row-major after {@link #lossAndGradients}. */
    double[] centreGradient() { return centreGrad; }

    DenseEncoder encoder() { return encoder; }

    private void momentumRange(int lane, int from, int to) {
        FloatBuffer params = encoder.parameters(), grads = encoder.gradients();
        float[] w = laneParams[lane], gr = laneGrads[lane];
        float m = passMomentum, lr = passLr;
        for (int at = from; at < to; at += CHUNK) {
            int n = Math.min(CHUNK, to - at);
            params.get(at, w, 0, n);
            grads.get(at, gr, 0, n);
            for (int i = 0; i < n; i++) {
                float v = m * velocity[at + i] - lr * gr[i];
                velocity[at + i] = v;
                w[i] += v;
            }
            params.put(at, w, 0, n);
        }
    }

    /** The encoder's layers as they are now, for {@link ClusteringGraph} (the exported model). */
    List<INDArray> weights() {
        List<INDArray> w = new ArrayList<>();
        for (int l = 0; l < encoder.layerCount(); l++) w.add(encoder.weights(l));
        return w;
    }

    List<INDArray> biases() {
        List<INDArray> b = new ArrayList<>();
        for (int l = 0; l < encoder.layerCount(); l++) b.add(encoder.bias(l));
        return b;
    }
}
