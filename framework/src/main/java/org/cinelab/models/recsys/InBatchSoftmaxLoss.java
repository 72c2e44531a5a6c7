package org.cinelab.models.recsys;

import org.cinelab.models.dl4j.InBatchSoftmax;
import org.nd4j.common.primitives.Pair;
import org.nd4j.linalg.activations.IActivation;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.indexing.NDArrayIndex;
import org.nd4j.linalg.lossfunctions.ILossFunction;
import org.nd4j.linalg.ops.transforms.Transforms;
import org.nd4j.shade.jackson.annotation.JsonProperty;

/**
 * The two-tower retrieval loss with in-batch negatives (as TFRS's {@code Retrieval} task): the
 * activation is {@code [user | movie]}, two embeddings of equal width per (user, movie) pair; the
 * scores are all user x movie dot products of the batch, and each user's own movie is the positive
 * class of a softmax over the batch's movies. Labels are not read (the pairing is the label); a
 * per-example mask, when given, drops that example's row. {@code weight} scales loss and gradient
 * (the multi-task weight); {@code sumOverBatch} reproduces TFRS's SUM reduction, which DL4J's
 * per-batch averaging would otherwise turn into a mean.
 *
 * <p>With {@code logQCorrection} (Yi et al., RecSys 2019; TFRS's {@code candidate_sampling_probability})
 * the labels' first column carries each example's movie log sampling probability log q, and every
 * logit against movie b becomes {@code u . v_b - log q_b}. In-batch negatives are drawn in proportion
 * to popularity, so without it the towers learn popularity out of their scores; with it they estimate
 * the full softmax over the catalogue, which is what top-k accuracy over all movies rewards. The
 * correction is a constant shift of the logits, so the gradient keeps the form softmax - I.
 */
public final class InBatchSoftmaxLoss implements ILossFunction, InBatchSoftmax {
    @JsonProperty private double weight = 1.0;
    @JsonProperty private boolean sumOverBatch;
    @JsonProperty private boolean logQCorrection;

    public InBatchSoftmaxLoss() {}

    public InBatchSoftmaxLoss(double weight, boolean sumOverBatch) {
        this(weight, sumOverBatch, false);
    }

    public InBatchSoftmaxLoss(@JsonProperty("weight") double weight, @JsonProperty("sumOverBatch") boolean sumOverBatch,
                              @JsonProperty("logQCorrection") boolean logQCorrection) {
        this.weight = weight;
        this.sumOverBatch = sumOverBatch;
        this.logQCorrection = logQCorrection;
    }

    private record Forward(INDArray users, INDArray movies, INDArray softmax, INDArray rowLoss, INDArray output) {}

    /**
     * The row losses of the last gradient computation. DL4J asks a loss layer for its gradient and
     * then, in the same step and on the same arrays, for its score; the softmax over the batch is
     * the expensive part of both, so the score reuses these instead of computing it again.
     */
    private record LastRows(INDArray preOutput, INDArray labels, double first, double last, double[] rowLoss) {
        boolean matches(INDArray preOutput, INDArray labels) {
            return preOutput == this.preOutput && labels == this.labels && preOutput.getDouble(0) == first
                    && preOutput.getDouble(preOutput.length() - 1) == last;
        }
    }

    private transient LastRows lastRows;

    private Forward forward(INDArray labels, INDArray preOutput, IActivation activationFn) {
        INDArray out = activationFn.getActivation(preOutput.dup(), true);
        long width = out.size(1);
        if (width % 2 != 0) throw new IllegalStateException("in-batch softmax needs [user | movie] of equal widths, got " + width + " columns");
        long d = width / 2;
        INDArray users = out.get(NDArrayIndex.all(), NDArrayIndex.interval(0, d));
        INDArray movies = out.get(NDArrayIndex.all(), NDArrayIndex.interval(d, width));
        INDArray logits = users.mmul(movies.transpose());
        INDArray diagonal = users.mul(movies).sum(true, 1);
        if (logQCorrection) {
            INDArray logQ = labels.getColumn(0).castTo(logits.dataType());
            logits.subiRowVector(logQ);
            diagonal.subi(logQ.reshape(diagonal.shape()));
        }
        INDArray max = logits.max(true, 1);
        INDArray shifted = logits.subColumnVector(max);
        INDArray exp = Transforms.exp(shifted, true);
        INDArray sum = exp.sum(true, 1);
        INDArray softmax = exp.divColumnVector(sum);
        INDArray logSumExp = Transforms.log(sum, true).addi(max);
        return new Forward(users, movies, softmax, logSumExp.subi(diagonal), out);
    }

    @Override
    public double weight() { return weight; }

    @Override
    public boolean sumOverBatch() { return sumOverBatch; }

    @Override
    public boolean logQCorrection() { return logQCorrection; }

    private double scale(long batch) { return weight * (sumOverBatch ? batch : 1); }

    @Override
    public INDArray computeScoreArray(INDArray labels, INDArray preOutput, IActivation activationFn, INDArray mask) {
        LastRows last = lastRows;
        lastRows = null;
        INDArray rows = last != null && last.matches(preOutput, labels)
                ? Nd4j.createFromArray(last.rowLoss()).reshape(preOutput.size(0), 1).castTo(preOutput.dataType())
                : forward(labels, preOutput, activationFn).rowLoss();
        rows.muli(scale(preOutput.size(0)));
        if (mask != null) rows.muli(mask.reshape(rows.shape()).castTo(rows.dataType()));
        return rows;
    }

    @Override
    public double computeScore(INDArray labels, INDArray preOutput, IActivation activationFn, INDArray mask, boolean average) {
        double sum = computeScoreArray(labels, preOutput, activationFn, mask).sumNumber().doubleValue();
        return average ? sum / preOutput.size(0) : sum;
    }

    @Override
    public INDArray computeGradient(INDArray labels, INDArray preOutput, IActivation activationFn, INDArray mask) {
        Forward f = forward(labels, preOutput, activationFn);
        long b = preOutput.size(0);
        lastRows = new LastRows(preOutput, labels, preOutput.getDouble(0), preOutput.getDouble(preOutput.length() - 1),
                f.rowLoss().toDoubleVector());
        // d(sum of row losses)/d logits = softmax - I, so dL/dU = softmax M - M and dL/dM = softmax^T U - U
        INDArray softmax = f.softmax();
        INDArray movies = f.movies().dup(), users = f.users().dup();
        if (mask != null) {
            INDArray m = mask.reshape(b, 1).castTo(softmax.dataType());
            softmax.muliColumnVector(m);
            movies.muliColumnVector(m);
            users.muliColumnVector(m);
        }
        double scale = scale(b);
        INDArray dUsers = softmax.mmul(f.movies()).subi(movies).muli(scale);
        INDArray dMovies = softmax.transpose().mmul(f.users()).subi(users).muli(scale);
        INDArray dOut = Nd4j.hstack(dUsers, dMovies);
        return activationFn.backprop(preOutput.dup(), dOut).getFirst();
    }

    @Override
    public Pair<Double, INDArray> computeGradientAndScore(INDArray labels, INDArray preOutput, IActivation activationFn,
                                                          INDArray mask, boolean average) {
        INDArray gradient = computeGradient(labels, preOutput, activationFn, mask);
        return new Pair<>(computeScore(labels, preOutput, activationFn, mask, average), gradient);
    }

    @Override
    public String name() {
        return "InBatchSoftmax(weight=" + weight + (sumOverBatch ? ", sum" : ", mean") + (logQCorrection ? ", logQ" : "") + ")";
    }

    @Override
    public String toString() { return name(); }

    @Override
    public boolean equals(Object o) {
        return o instanceof InBatchSoftmaxLoss l && l.weight == weight && l.sumOverBatch == sumOverBatch
                && l.logQCorrection == logQCorrection;
    }

    @Override
    public int hashCode() { return (Double.hashCode(weight) * 31 + Boolean.hashCode(sumOverBatch)) * 31 + Boolean.hashCode(logQCorrection); }
}
