package org.cinelab.models.dec;

import org.nd4j.autodiff.samediff.SDVariable;
import org.nd4j.autodiff.samediff.SameDiff;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

import java.io.PrintStream;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * DEC's refinement stage as a SameDiff graph: the encoder (dense layers, ReLU inside, linear
 * embedding), the clustering layer's Student-t soft assignment
 * {@code q_ij ∝ (1 + |z_i − μ_j|²/α)^(−(α+1)/2)} and the loss {@code KL(P‖Q)} averaged over the
 * batch (Keras's {@code kld}), with the target {@code P} fed as a placeholder. Training applies
 * classic SGD momentum ({@code v = m·v − lr·g; w += v}, Keras's SGD) to the graph's gradients,
 * because DL4J's updaters only offer Nesterov momentum.
 */
public final class ClusteringGraph {
    public static final String INPUT = "x";
    public static final String TARGET = "p";
    public static final String EMBEDDING = "z";
    public static final String SOFT_ASSIGNMENT = "q";
    public static final String LOSS = "kl";
    public static final String CENTRES = "mu";

    private final SameDiff sd;
    private final List<String> variables = new ArrayList<>();
    private final Map<String, INDArray> velocity = new HashMap<>();
    private boolean gradientsBuilt;

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
            variables.add(w.name());
            variables.add(b.name());
            h = h.mmul(w).add(b);
            if (l < weights.size() - 1) h = sd.nn.relu(h, 0.0);
        }
        SDVariable z = sd.identity(EMBEDDING, h);
        SDVariable mu = sd.var(CENTRES, centres.castTo(type).dup());
        variables.add(CENTRES);
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

    /**
     * The variables' gradients. The first call builds SameDiff's gradient graph, which prints a line
     * per differentiated op on {@code System.out} (33 for DEC, in the middle of the progress output):
     * those lines are dropped while it builds; everything else printed meanwhile goes through.
     */
    Map<String, INDArray> gradients(Map<String, INDArray> feed) {
        if (gradientsBuilt) return sd.calculateGradients(feed, variables);
        synchronized (ClusteringGraph.class) { // System.out is one per JVM: trials in parallel swap it one at a time
            PrintStream original = System.out;
            System.setOut(new PrintStream(original, true) {
                @Override
                public void println(String line) {
                    if (line == null || !line.startsWith("Added differentiated op")) super.println(line);
                }
            });
            try {
                Map<String, INDArray> grads = sd.calculateGradients(feed, variables);
                gradientsBuilt = true;
                return grads;
            } finally {
                System.setOut(original);
            }
        }
    }

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

    /** One SGD-with-momentum step on a batch. */
    public void step(INDArray x, INDArray p, double lr, double momentum) {
        Map<String, INDArray> grads = gradients(Map.of(INPUT, x, TARGET, p));
        for (String name : variables) {
            INDArray g = grads.get(name);
            INDArray w = sd.getVariable(name).getArr();
            INDArray v = velocity.computeIfAbsent(name, n -> Nd4j.zeros(w.dataType(), w.shape()));
            v.muli(momentum).subi(g.mul(lr));
            w.addi(v);
        }
    }

    /** DEC's target distribution: {@code p_ij = (q_ij² / f_j)} normalised per row, {@code f_j = Σ_i q_ij}. */
    public static INDArray target(INDArray q) {
        INDArray f = q.sum(0);
        INDArray w = q.mul(q).diviRowVector(f);
        return w.diviColumnVector(w.sum(1));
    }
}
