package org.cinelab.models.dl4j;

import org.nd4j.common.primitives.Pair;
import org.nd4j.linalg.activations.IActivation;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.lossfunctions.ILossFunction;
import org.nd4j.linalg.ops.transforms.Transforms;
import org.nd4j.shade.jackson.annotation.JsonProperty;

/**
 * Squared error on observed entries only: a label of exactly 0 means "not rated" and contributes
 * neither loss nor gradient, so a rating-vector autoencoder is not taught to predict zeros for
 * unseen movies. How each row's sum is normalised is a setting, because the studies differ:
 * <ul>
 *   <li>{@link Normalisation#ALL_OUTPUTS}: divide by the row length, as {@code nn.MSELoss} over the
 *       whole vector with unobserved outputs zeroed does in the S3 course code;</li>
 *   <li>{@link Normalisation#OBSERVED}: divide by the row's number of ratings (the row's own MSE);</li>
 *   <li>{@link Normalisation#SUM}: the plain sum, AutoRec's objective (Sedhain et al. 2015).</li>
 * </ul>
 * An optional DL4J mask (per example or per output) multiplies on top.
 */
public final class MaskedMseLoss implements ILossFunction {
    public enum Normalisation { ALL_OUTPUTS, OBSERVED, SUM }

    @JsonProperty("normalisation")
    private Normalisation normalisation;

    public MaskedMseLoss() { this(Normalisation.ALL_OUTPUTS); }

    public MaskedMseLoss(@JsonProperty("normalisation") Normalisation normalisation) {
        this.normalisation = normalisation;
    }

    public Normalisation normalisation() { return normalisation; }

    /** 1 where a label is observed (non-zero), times the DL4J mask when there is one. */
    private static INDArray observed(INDArray labels, INDArray mask) {
        INDArray obs = labels.neq(0.0).castTo(labels.dataType());
        if (mask != null) {
            if (mask.rank() == 2 && mask.size(1) == 1 && labels.size(1) != 1) obs.muliColumnVector(mask.castTo(labels.dataType()));
            else obs.muli(mask.castTo(labels.dataType()));
        }
        return obs;
    }

    /** Per-row divisor, a column vector. */
    private INDArray divisor(INDArray obs) {
        long rows = obs.size(0);
        return switch (normalisation) {
            case ALL_OUTPUTS -> Nd4j.valueArrayOf(new long[]{rows, 1}, (double) obs.size(1), obs.dataType());
            case OBSERVED -> Transforms.max(obs.sum(true, 1), 1.0, false);
            case SUM -> Nd4j.valueArrayOf(new long[]{rows, 1}, 1.0, obs.dataType());
        };
    }

    /** Masked residual {@code (output - label) * observed}. */
    private static INDArray residual(INDArray labels, INDArray preOutput, IActivation activationFn, INDArray obs) {
        INDArray output = activationFn.getActivation(preOutput.dup(), true);
        return output.subi(labels.castTo(output.dataType())).muli(obs);
    }

    @Override
    public INDArray computeScoreArray(INDArray labels, INDArray preOutput, IActivation activationFn, INDArray mask) {
        INDArray obs = observed(labels, mask);
        INDArray r = residual(labels, preOutput, activationFn, obs);
        return r.muli(r).sum(true, 1).divi(divisor(obs));
    }

    @Override
    public double computeScore(INDArray labels, INDArray preOutput, IActivation activationFn, INDArray mask, boolean average) {
        double sum = computeScoreArray(labels, preOutput, activationFn, mask).sumNumber().doubleValue();
        return average ? sum / labels.size(0) : sum;
    }

    @Override
    public INDArray computeGradient(INDArray labels, INDArray preOutput, IActivation activationFn, INDArray mask) {
        INDArray obs = observed(labels, mask);
        INDArray dLdOut = residual(labels, preOutput, activationFn, obs).muli(2.0).diviColumnVector(divisor(obs));
        return activationFn.backprop(preOutput.dup(), dLdOut).getFirst();
    }

    /** Score and gradient from one forward computation of the masked residual. */
    @Override
    public Pair<Double, INDArray> computeGradientAndScore(INDArray labels, INDArray preOutput, IActivation activationFn,
                                                          INDArray mask, boolean average) {
        INDArray obs = observed(labels, mask);
        INDArray divisor = divisor(obs);
        INDArray r = residual(labels, preOutput, activationFn, obs);
        double sum = r.mul(r).sum(true, 1).divi(divisor).sumNumber().doubleValue();
        INDArray dLdOut = r.muli(2.0).diviColumnVector(divisor);
        INDArray gradient = activationFn.backprop(preOutput.dup(), dLdOut).getFirst();
        return new Pair<>(average ? sum / labels.size(0) : sum, gradient);
    }

    @Override
    public String name() { return "MaskedMSE(" + normalisation + ")"; }

    @Override
    public String toString() { return name(); }

    @Override
    public boolean equals(Object o) { return o instanceof MaskedMseLoss m && m.normalisation == normalisation; }

    @Override
    public int hashCode() { return normalisation.hashCode(); }
}
