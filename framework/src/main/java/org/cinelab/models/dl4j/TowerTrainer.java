package org.cinelab.models.dl4j;

import org.bytedeco.javacpp.FloatPointer;
import org.cinelab.models.layers.ExpRows;
import org.cinelab.models.layers.SplitGemm;
import org.cinelab.models.layers.SplitLoop;
import org.deeplearning4j.nn.graph.ComputationGraph;
import org.nd4j.linalg.api.ndarray.INDArray;

import java.nio.FloatBuffer;
import java.util.Optional;
import java.util.function.Consumer;

/**
 * Trains an embedding recommender graph ({@link TowerLayout}: user and item embeddings, their
 * concatenation {@code x0}, optionally DCN's cross network, dense layers to a rating, optionally an
 * in-batch softmax on {@code x0}) in place, one minibatch per call, computing what DL4J's {@code fit}
 * computes (same losses, gradients and update, up to float rounding) without its per-step machinery:
 * the embedding rows are gathered into {@code x0}, the dense layers run as a {@link DenseStack}
 * (with DCN's cross network, stacked or parallel, a {@link CrossHead}), the in-batch softmax
 * is three {@code sgemm} calls and a loop over the batch's logits, and the embedding gradients are
 * scattered back into DL4J's gradient view before the one-pass update ({@link DenseUpdater}),
 * which, as DL4J's, moves every row of a table (Adam's moments decay for all of them). A step
 * allocates nothing.
 */
public final class TowerTrainer {
    private final ComputationGraph net;
    private final TowerLayout layout;
    private final DenseUpdater updater;
    private final RatingHead head;
    private final int maxBatch;
    private final FloatBuffer params, grads, state;
    /** x0 and dLoss/dx0, [batch, x0 width]; a second pointer on x0 so one product can read both of its halves. */
    private final FloatPointer x0, x0Again, dx0, logits;
    private final FloatBuffer x0Buffer, dx0Buffer, logitsBuffer;
    private final float[] row, rowAgain, zeros = new float[DenseStack.CHUNK];
    /** Per lane: a softmax row and its exponentials; per batch row: its loss, summed in row order whatever the split. */
    private final float[][] laneRow, laneExp;
    private final double[] rowLoss;
    /** The softmax rows split over the threads, kept so a step allocates nothing; its arguments are the pass fields. */
    private final SplitLoop.Body softmaxPass = this::softmaxRows;
    private final int threads;
    /**
     * The ids whose table gradient rows the last step wrote (user, item), and how many (-1 before the
     * first step): in a table of many more ids than a batch the next step zeroes only those rows (the
     * rest is zero already). Zeroing all of embedding-dense's 9,724 movies each step made its scatter
     * 98 us, 66 by rows; by rows was ~2.5% slower for ranking's tables of 943 and 1,682 ids, which one
     * pass of bulk writes zeroes faster than value-by-value writes of a batch's rows.
     */
    private final int[] lastUsers, lastItems;
    private int lastBatch = -1;
    /** Zero a table by rows when it has more than this many ids per row to zero. */
    private static final int IDS_PER_ROW_ZEROED = 16;
    private float[] passLogQ;
    private int passBatch;

    private TowerTrainer(ComputationGraph net, TowerLayout layout, DenseUpdater updater, int maxBatch) {
        this.net = net;
        this.layout = layout;
        this.updater = updater;
        this.maxBatch = maxBatch;
        FloatPointer paramsPtr = Nd4jBuffers.pointer(net.params()), gradsPtr = Nd4jBuffers.pointer(net.getFlattenedGradients());
        this.params = paramsPtr.asBuffer();
        this.grads = gradsPtr.asBuffer();
        INDArray stateView = net.getUpdater(true).getStateViewArray();
        this.state = stateView == null ? null : Nd4jBuffers.floats(stateView);
        this.head = layout.cross() == null ? new DenseStack(layout.head(), updater, paramsPtr, gradsPtr, state, maxBatch)
                : new CrossHead(layout, updater, paramsPtr, gradsPtr, state, maxBatch);
        this.x0 = head.inputPointer();
        this.x0Again = new FloatPointer(x0);
        this.x0Buffer = head.input();
        this.dx0 = Nd4jBuffers.allocate((long) maxBatch * layout.x0Width());
        this.dx0Buffer = dx0.asBuffer();
        this.logits = layout.retrieval() == null ? null : Nd4jBuffers.allocate((long) maxBatch * maxBatch);
        this.logitsBuffer = logits == null ? null : logits.asBuffer();
        int width = layout.x0Width();
        this.row = new float[width];
        this.rowAgain = new float[width];
        this.threads = Nd4jRuntime.threads();
        int lanes = SplitLoop.lanes(threads), softmaxWidth = layout.retrieval() == null ? 0 : maxBatch;
        this.laneRow = new float[lanes][softmaxWidth];
        this.laneExp = new float[lanes][softmaxWidth];
        this.rowLoss = new double[softmaxWidth];
        this.lastUsers = new int[maxBatch];
        this.lastItems = new int[maxBatch];
    }

    /** A trainer for {@code net}, or empty (saying why to {@code whyNot}) when the graph is not one it implements. */
    public static Optional<TowerTrainer> create(ComputationGraph net, int maxBatch, Consumer<String> whyNot) {
        try {
            return Optional.of(new TowerTrainer(net, TowerLayout.of(net), DenseUpdater.of(net.getUpdater(true)), maxBatch));
        } catch (DenseLayout.UnsupportedNetworkException e) {
            whyNot.accept(e.getMessage());
            return Optional.empty();
        }
    }

    /**
     * One optimisation step on {@code batch} (user, item, rating) examples, as DL4J's {@code fit}
     * of the same minibatch, iteration count + 1.
     *
     * @param logQ each example's movie log sampling probability (the retrieval correction), or null
     * @return the minibatch's loss as DL4J's score: the rating MSE plus the weighted retrieval loss,
     *         each a mean over the batch, without the regularisation term
     */
    public double step(int[] users, int[] items, float[] ratings, float[] logQ, int batch) {
        if (batch < 1 || batch > maxBatch) throw new IllegalArgumentException("batch of " + batch + " examples; at most " + maxBatch);
        gather(users, items, batch);
        head.forward(batch);
        double loss = ratingLossAndDelta(ratings, batch);
        int iteration = net.getConfiguration().getIterationCount(), epoch = net.getConfiguration().getEpochCount();
        head.backwardAndUpdate(batch, iteration, epoch, dx0, dx0Buffer);
        if (layout.retrieval() != null) loss += retrieval(logQ, batch);
        TowerLayout.Table userTable = layout.userTable(), itemTable = layout.itemTable();
        scatter(userTable, users, lastUsers, 0, batch);
        scatter(itemTable, items, lastItems, userTable.width(), batch);
        lastBatch = batch;
        updater.apply(userTable.offset(), userTable.offset() + userTable.length(), params, grads, state, null, batch, iteration, epoch);
        updater.apply(itemTable.offset(), itemTable.offset() + itemTable.length(), params, grads, state, null, batch, iteration, epoch);
        net.getConfiguration().setIterationCount(iteration + 1);
        return loss;
    }

    /** x0 row k = [user table row users[k] | item table row items[k]]. */
    private void gather(int[] users, int[] items, int batch) {
        TowerLayout.Table u = layout.userTable(), i = layout.itemTable();
        int width = layout.x0Width();
        for (int k = 0; k < batch; k++) {
            for (int j = 0; j < u.width(); j++) row[j] = params.get(u.at(users[k], j));
            for (int j = 0; j < i.width(); j++) row[u.width() + j] = params.get(i.at(items[k], j));
            x0Buffer.put(k * width, row, 0, width);
        }
    }

    /** DL4J's weighted MSE of the one-unit rating output, and its gradient into the head's output delta. */
    private double ratingLossAndDelta(float[] ratings, int batch) {
        FloatBuffer out = head.output(), delta = head.outputDelta();
        float w = layout.ratingWeight();
        double total = 0;
        for (int k = 0; k < batch; k++) {
            float residual = out.get(k) - ratings[k];
            total += w * residual * residual;
            delta.put(k, 2 * w * residual);
        }
        return total / batch;
    }

    /**
     * The in-batch softmax over users x movies of the batch (as {@code InBatchSoftmaxLoss}): its mean
     * loss, and its gradient added to dLoss/dx0: {@code dU = s·(S·M − M)}, {@code dM = s·(Sᵀ·U − U)}.
     */
    private double retrieval(float[] logQ, int batch) {
        InBatchSoftmax r = layout.retrieval();
        int d = layout.userTable().width(), width = layout.x0Width();
        float scale = (float) (r.weight() * (r.sumOverBatch() ? batch : 1));
        // logits = U · Mᵀ, U and M the two halves of x0
        SplitGemm.gemm(SplitGemm.NO_TRANS, SplitGemm.TRANS, batch, batch, d, x0, 0, width, x0Again, d, width, logits, 0, batch);
        passLogQ = r.logQCorrection() ? logQ : null;
        passBatch = batch;
        SplitLoop.run(threads, batch, 1, (long) batch * batch, softmaxPass);
        double total = 0;
        for (int k = 0; k < batch; k++) total += rowLoss[k];
        // dU += s·S·M, dM += s·Sᵀ·U, then − s·M and − s·U
        SplitGemm.gemm(SplitGemm.NO_TRANS, SplitGemm.NO_TRANS, batch, d, batch, scale, logits, 0, batch, x0Again, d, width, 1f, dx0, 0, width);
        SplitGemm.gemm(SplitGemm.TRANS, SplitGemm.NO_TRANS, batch, d, batch, scale, logits, 0, batch, x0Again, 0, width, 1f, dx0, d, width);
        for (int k = 0; k < batch; k++) {
            x0Buffer.get(k * width, row, 0, width);
            dx0Buffer.get(k * width, rowAgain, 0, width);
            for (int j = 0; j < d; j++) {
                rowAgain[j] -= scale * row[d + j];
                rowAgain[d + j] -= scale * row[j];
            }
            dx0Buffer.put(k * width, rowAgain, 0, width);
        }
        return scale * total / batch;
    }

    /** Softmax rows {@code [from, to)} of the logits in place, on lane {@code lane}; each row's loss into {@link #rowLoss}. */
    private void softmaxRows(int lane, int from, int to) {
        int batch = passBatch;
        float[] row = laneRow[lane], exp = laneExp[lane], logQ = passLogQ;
        for (int k = from; k < to; k++) {
            logitsBuffer.get(k * batch, row, 0, batch);
            if (logQ != null) {
                for (int b = 0; b < batch; b++) row[b] -= logQ[b];
            }
            float max = ExpRows.max(row, batch);
            double sum = ExpRows.expMinus(row, max, exp, batch);
            rowLoss[k] = Math.log(sum) + max - row[k];
            float inv = (float) (1 / sum);
            for (int b = 0; b < batch; b++) exp[b] *= inv;
            logitsBuffer.put(k * batch, exp, 0, batch);
        }
    }

    /**
     * The table's gradient: zero (in a large table only the rows of {@code last}, the ids of the
     * previous step), then each example's slice of dLoss/dx0 added to its id's row (DL4J's scatter-add);
     * {@code ids} are kept in {@code last} for the next step.
     */
    private void scatter(TowerLayout.Table t, int[] ids, int[] last, int column, int batch) {
        if (lastBatch < 0 || t.ids() <= (long) IDS_PER_ROW_ZEROED * lastBatch) {
            for (long at = t.offset(); at < t.offset() + t.length(); at += zeros.length) {
                grads.put((int) at, zeros, 0, (int) Math.min(zeros.length, t.offset() + t.length() - at));
            }
        } else {
            for (int k = 0; k < lastBatch; k++) {
                for (int j = 0; j < t.width(); j++) grads.put(t.at(last[k], j), 0f);
            }
        }
        int width = layout.x0Width();
        for (int k = 0; k < batch; k++) {
            dx0Buffer.get(k * width + column, row, 0, t.width());
            for (int j = 0; j < t.width(); j++) {
                int at = t.at(ids[k], j);
                grads.put(at, grads.get(at) + row[j]);
            }
        }
        System.arraycopy(ids, 0, last, 0, batch);
    }
}
