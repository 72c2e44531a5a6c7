package org.cinelab.models.dec;

import org.nd4j.autodiff.samediff.SDVariable;
import org.nd4j.autodiff.samediff.SameDiff;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;

import java.util.List;
import java.util.Map;

/**
 * DEC's refined model as a SameDiff graph: the encoder (dense layers, ReLU inside, linear
 * embedding), the clustering layer's Student-t soft assignment
 * {@code q_ij ∝ (1 + |z_i − μ_j|²/α)^(−(α+1)/2)} and the loss {@code KL(P‖Q)} averaged over the
 * batch (Keras's {@code kld}), with the target {@code P} fed as a placeholder. It is what a trial
 * exports ({@code dec_graph.fb}, loadable with SameDiff), and the reference {@link ClusteringRefiner}
 * is tested against: SameDiff differentiates it (its gradients are checked against finite
 * differences) but trained it several times slower than CineLab's engine.
 */
public final class ClusteringGraph {
    public static final String INPUT = "x";
    public static final String TARGET = "p";
    public static final String EMBEDDING = "z";
    public static final String SOFT_ASSIGNMENT = "q";
    public static final String LOSS = "kl";
    public static final String CENTRES = "mu";

    private final SameDiff sd;

    /**
     * @param weights encoder weights {@code [nIn, nOut]} per layer
     * @param biases  encoder biases {@code [nOut]} per layer
     * @param centres initial cluster centres {@code [k, embedding]}
     */
    public ClusteringGraph(List<INDArray> weights, List<INDArray> biases, INDArray centres, double alpha, DataType type) {
        sd = SameDiff.create();
        int d = (int) weights.get(0).size(0);
        int k = (int) centres.size(0);
        SDVariable x = sd.placeHolder(INPUT, type, -1, d);
        SDVariable p = sd.placeHolder(TARGET, type, -1, k);
        SDVariable h = x;
        for (int l = 0; l < weights.size(); l++) {
            SDVariable w = sd.var("W" + l, weights.get(l).castTo(type).dup());
            SDVariable b = sd.var("b" + l, biases.get(l).castTo(type).reshape(biases.get(l).length()).dup());
            h = h.mmul(w).add(b);
            if (l < weights.size() - 1) h = sd.nn.relu(h, 0.0);
        }
        SDVariable z = sd.identity(EMBEDDING, h);
        SDVariable mu = sd.var(CENTRES, centres.castTo(type).dup());
        SDVariable zz = z.mul(z).sum(true, 1);
        SDVariable mm = mu.mul(mu).sum(true, 1).reshape(1, k);
        SDVariable cross = sd.mmul(z, mu, false, true, false);
        SDVariable dist = zz.sub(cross.mul(2.0)).add(mm);
        SDVariable kernel = dist.div(alpha).add(1.0).pow(-(alpha + 1) / 2);
        SDVariable q = sd.identity(SOFT_ASSIGNMENT, kernel.div(kernel.sum(true, 1)));
        double eps = 1e-7;
        SDVariable pc = sd.math.clipByValue(p, eps, 1.0);
        SDVariable qc = sd.math.clipByValue(q, eps, 1.0);
        SDVariable perRow = p.mul(sd.math.log(pc).sub(sd.math.log(qc))).sum(1);
        perRow.mean(LOSS);
        sd.setLossVariables(LOSS);
    }

    public SameDiff sameDiff() { return sd; }

    /** Soft assignments {@code [n, k]} of the rows of {@code x}. */
    public INDArray softAssign(INDArray x) {
        return sd.output(Map.of(INPUT, x), SOFT_ASSIGNMENT).get(SOFT_ASSIGNMENT);
    }

    public INDArray embed(INDArray x) {
        return sd.output(Map.of(INPUT, x), EMBEDDING).get(EMBEDDING);
    }

    public INDArray centres() { return sd.getVariable(CENTRES).getArr(); }

    /** {@code KL(P‖Q)} averaged over the rows. */
    public double loss(INDArray x, INDArray p) {
        return sd.output(Map.of(INPUT, x, TARGET, p), LOSS).get(LOSS).getDouble(0);
    }
}
