package org.cinelab.models.dl4j;

import org.cinelab.models.layers.NativeMemory;
import org.cinelab.models.layers.OptimiserSteps;
import org.cinelab.models.layers.SplitLoop;
import org.cinelab.models.layers.UpdateClock;
import org.deeplearning4j.nn.api.Trainable;
import org.deeplearning4j.nn.updater.BaseMultiLayerUpdater;
import org.deeplearning4j.nn.updater.UpdaterBlock;
import org.nd4j.linalg.learning.config.AdaGrad;
import org.nd4j.linalg.learning.config.Adam;
import org.nd4j.linalg.learning.config.IUpdater;
import org.nd4j.linalg.learning.config.Nesterovs;
import org.nd4j.linalg.learning.config.RmsProp;
import org.nd4j.linalg.learning.config.Sgd;
import org.nd4j.linalg.learning.regularization.L2Regularization;
import org.nd4j.linalg.learning.regularization.Regularization;
import org.nd4j.linalg.learning.regularization.WeightDecay;
import org.nd4j.linalg.schedule.FixedSchedule;

import java.nio.ByteBuffer;
import java.nio.FloatBuffer;
import java.util.ArrayList;
import java.util.List;

/**
 * DL4J's parameter update as one pass over the parameters: divide the summed gradient by the
 * minibatch size, add L2 ({@code g += l2 w}), apply the optimiser (SGD, Nesterov momentum, RMSprop, Adam, with
 * libnd4j's formulas), add decoupled weight decay ({@code u += wd lr w}) and step ({@code w -= u}),
 * in the order DL4J's {@code BaseMultiLayerUpdater} and {@code UpdaterBlock} apply them. The
 * optimiser state lives where DL4J keeps it (the network's updater state view, laid out by DL4J's
 * updater blocks), so checkpoints and exported models are unchanged and DL4J can take over at any step.
 *
 * <p>The arrays are native memory. Adam and RMSprop update them in place in whole vectors
 * ({@link OptimiserSteps}: copies through the heap added to the pass);
 * the other optimisers, and the last values short of a vector, go through small heap chunks, where
 * the JIT vectorises the arithmetic (its loops over direct buffers run several times slower). A long array is
 * split over the process's threads ({@link SplitLoop} on the helpers that also share the step's
 * products), idle while Java updates (DEC's 4 million parameters: ~1.7 ms per step on one thread in
 * place; the benchmarks set the pass's effective bandwidth beside the machine's, {@link UpdateClock}).
 * Each value's update depends on nothing else, so the split does not change a bit.
 */
final class DenseUpdater {
    private static final int CHUNK = 4096;

    /** An optimiser, with the state arrays it keeps per parameter (for the bytes a step must move, {@link UpdateClock}). */
    private enum Rule {
        SGD(0), NESTEROVS(1), RMSPROP(1), ADAGRAD(1), ADAM(2);

        private final int stateArrays;

        Rule(int stateArrays) { this.stateArrays = stateArrays; }

        /** Parameters, gradients, state and the running gradient sum, if any: each array a step touches. */
        int arraysHeld(boolean accumulated) { return 2 + stateArrays + (accumulated ? 1 : 0); }

        /** Reads of every array held, writes of the parameters, the state and the sum. */
        int arraysMoved(boolean accumulated) { return arraysHeld(accumulated) + 1 + stateArrays + (accumulated ? 1 : 0); }
    }

    /** One parameter array (a layer's W or b) inside an updater block. */
    private record Segment(int start, int end, int blockStart, int stateStart, int blockLength, Rule rule, IUpdater config,
                           float l2, float decay, float decayTimesLr) {}

    /** An array, not a list: its iterator, allocated per call where the JIT sees several list classes, was a step's only garbage. */
    private final Segment[] segments;
    private final Lane[] lanes;
    /** The split update of one segment, kept so a step allocates nothing; its arguments are the pass fields. */
    private final SplitLoop.Body updatePass = this::updateRange;
    private Segment passSegment;
    private FloatBuffer passParams, passGrads, passState, passAccumulator;
    /** The pass's arrays as bytes for Adam's and RMSprop's in-place steps ({@link OptimiserSteps}), made once: the same arrays come every step. */
    private final ByteView paramBytes = new ByteView(), gradBytes = new ByteView(), stateBytes = new ByteView(), sumBytes = new ByteView();
    private ByteBuffer passParamBytes, passGradBytes, passStateBytes, passSumBytes;
    private boolean passInPlace;
    private int passBatchSize, passIteration, passEpoch;

    private DenseUpdater(List<Segment> segments, int threads) {
        this.segments = segments.toArray(new Segment[0]);
        this.lanes = new Lane[Math.max(1, threads)];
        for (int i = 0; i < lanes.length; i++) lanes[i] = new Lane();
    }

    /** An updater that moves nothing: for a stack whose caller applies an optimiser of its own ({@link DenseEncoder}). */
    static DenseUpdater none() {
        return new DenseUpdater(List.of(), 1);
    }

    /** From a network's updater ({@code net.getUpdater(true)}, a MultiLayerNetwork's or a ComputationGraph's). */
    static DenseUpdater of(Object networkUpdater) throws DenseLayout.UnsupportedNetworkException {
        return of(networkUpdater, Nd4jRuntime.threads());
    }

    /** {@link #of(Object)} splitting long arrays over {@code threads} threads (the caller's and helpers). */
    static DenseUpdater of(Object networkUpdater, int threads) throws DenseLayout.UnsupportedNetworkException {
        if (!(networkUpdater instanceof BaseMultiLayerUpdater<?> updater)) {
            throw new DenseLayout.UnsupportedNetworkException("updater " + networkUpdater);
        }
        List<Segment> segments = new ArrayList<>();
        for (UpdaterBlock block : updater.getUpdaterBlocks()) {
            IUpdater config = block.getGradientUpdater().getConfig();
            Rule rule = rule(config);
            int blockLength = block.getParamOffsetEnd() - block.getParamOffsetStart();
            for (UpdaterBlock.ParamState p : block.getLayersAndVariablesInBlock()) {
                float l2 = 0, decay = 0, decayTimesLr = 0; // DL4J applies each one listed: their sum
                for (Regularization r : regularizations(p.getLayer(), p.getParamName())) {
                    if (r instanceof L2Regularization l && l.getL2() instanceof FixedSchedule) {
                        l2 += (float) l.getL2().valueAt(0, 0);
                    } else if (r instanceof WeightDecay d && d.getCoeff() instanceof FixedSchedule) {
                        if (d.isApplyLR()) decayTimesLr += (float) d.getCoeff().valueAt(0, 0);
                        else decay += (float) d.getCoeff().valueAt(0, 0);
                    } else {
                        throw new DenseLayout.UnsupportedNetworkException("regularization " + r);
                    }
                }
                segments.add(new Segment(p.getParamOffsetStart(), p.getParamOffsetEnd(), block.getParamOffsetStart(),
                        block.getUpdaterViewOffsetStart(), blockLength, rule, config, l2, decay, decayTimesLr));
            }
        }
        return new DenseUpdater(List.copyOf(segments), threads);
    }

    private static List<Regularization> regularizations(Trainable layer, String param) {
        List<Regularization> r = layer.getConfig().getRegularizationByParam(param);
        return r == null ? List.of() : r;
    }

    private static Rule rule(IUpdater config) throws DenseLayout.UnsupportedNetworkException {
        if (config.getClass() == Sgd.class && ((Sgd) config).getLearningRateSchedule() == null) return Rule.SGD;
        if (config.getClass() == Nesterovs.class && ((Nesterovs) config).getLearningRateSchedule() == null) return Rule.NESTEROVS;
        if (config.getClass() == RmsProp.class && ((RmsProp) config).getLearningRateSchedule() == null) return Rule.RMSPROP;
        if (config.getClass() == AdaGrad.class && ((AdaGrad) config).getLearningRateSchedule() == null) return Rule.ADAGRAD;
        if (config.getClass() == Adam.class && ((Adam) config).getLearningRateSchedule() == null) return Rule.ADAM;
        throw new DenseLayout.UnsupportedNetworkException("optimiser " + config);
    }

    /**
     * Updates {@code params} in place from the summed gradient of {@code batchSize} examples in
     * {@code grads}; with {@code accumulator} non-null the gradient is first added to it and the
     * step uses the running sum (the S3 course code's never-cleared gradients).
     */
    void apply(FloatBuffer params, FloatBuffer grads, FloatBuffer state, FloatBuffer accumulator, int batchSize, int iteration, int epoch) {
        apply(0, Integer.MAX_VALUE, params, grads, state, accumulator, batchSize, iteration, epoch);
    }

    /**
     * {@link #apply} for the parameter arrays inside {@code [from, to)} only: a layer can be updated
     * as soon as backprop no longer needs its weights, while its gradient is still in cache.
     */
    void apply(long from, long to, FloatBuffer params, FloatBuffer grads, FloatBuffer state, FloatBuffer accumulator, int batchSize,
               int iteration, int epoch) {
        passParams = params;
        passGrads = grads;
        passState = state;
        passAccumulator = accumulator;
        passBatchSize = batchSize;
        passIteration = iteration;
        passEpoch = epoch;
        boolean metered = UpdateClock.running();
        long t0 = metered ? System.nanoTime() : 0, moved = 0, resident = 0;
        for (Segment s : segments) {
            if (s.start < from || s.end > to) continue;
            if (metered) {
                moved += (long) (s.end - s.start) * 4 * s.rule.arraysMoved(accumulator != null);
                resident += (long) (s.end - s.start) * 4 * s.rule.arraysHeld(accumulator != null);
            }
            passSegment = s;
            passInPlace = (s.rule == Rule.ADAM || s.rule == Rule.RMSPROP) && OptimiserSteps.available();
            if (passInPlace) {
                passParamBytes = paramBytes.of(params);
                passGradBytes = gradBytes.of(grads);
                passStateBytes = stateBytes.of(state);
                passSumBytes = accumulator == null ? null : sumBytes.of(accumulator);
                passInPlace = passParamBytes != null && passGradBytes != null && passStateBytes != null
                        && (accumulator == null || passSumBytes != null);
            }
            // whole chunks per lane; short arrays stay on the caller's thread
            SplitLoop.run(lanes.length, s.end - s.start, CHUNK, updatePass);
        }
        if (metered) UpdateClock.add(moved, resident, System.nanoTime() - t0, iteration);
    }

    /** Elements {@code [from, to)} of the current segment, on lane {@code lane}. */
    private void updateRange(int lane, int from, int to) {
        Segment s = passSegment;
        if (passInPlace) {
            // with an accumulator, the sum of these whole vectors first, then the step on it; the rest
            // (summed there) goes through the chunks
            ByteBuffer gradient = passGradBytes;
            int end = s.start + to;
            if (passSumBytes != null) {
                end = OptimiserSteps.accumulate(passGradBytes, passSumBytes, s.start + from, end);
                gradient = passSumBytes;
            }
            from = (s.rule == Rule.ADAM ? adamInPlace(s, gradient, s.start + from, end) : rmsPropInPlace(s, gradient, s.start + from, end))
                    - s.start;
            if (from == to) return;
        }
        lanes[lane].update(s, s.start + from, s.start + to, passParams, passGrads, passState, passAccumulator, passBatchSize, passIteration,
                passEpoch);
    }

    /** Adam's update of {@code [from, to)} in place, whole vectors; returns where it stopped (the rest goes through the chunks). */
    private int adamInPlace(Segment s, ByteBuffer gradient, int from, int to) {
        Adam c = (Adam) s.config;
        float lr = (float) c.getLearningRate(passIteration, passEpoch);
        float eps = adamEpsilon(c);
        int stateShift = s.stateStart - s.blockStart;
        return OptimiserSteps.adam(passParamBytes, gradient, passStateBytes, from, to, stateShift,
                stateShift + s.blockLength, 1f / passBatchSize, s.l2, (float) c.getBeta1(), (float) c.getBeta2(),
                adamAlpha(c, lr, passIteration), eps, s.decay + s.decayTimesLr * lr);
    }

    /** RMSprop's update of {@code [from, to)} in place, as {@link #adamInPlace}. */
    private int rmsPropInPlace(Segment s, ByteBuffer gradient, int from, int to) {
        RmsProp c = (RmsProp) s.config;
        float lr = (float) c.getLearningRate(passIteration, passEpoch);
        return OptimiserSteps.rmsProp(passParamBytes, gradient, passStateBytes, from, to, s.stateStart - s.blockStart, 1f / passBatchSize,
                s.l2, (float) c.getRmsDecay(), lr, (float) c.getEpsilon(), s.decay + s.decayTimesLr * lr);
    }

    private static float adamEpsilon(Adam c) {
        return c.getEpsilon() == 0 ? 1e-7f : (float) c.getEpsilon();
    }

    /** Adam's step size with libnd4j's bias correction, ε when that is not a positive finite number. */
    private static float adamAlpha(Adam c, float lr, int iteration) {
        float b1 = (float) c.getBeta1(), b2 = (float) c.getBeta2();
        float b1t = (float) Math.pow(b1, iteration + 1), b2t = (float) Math.pow(b2, iteration + 1);
        float alpha = lr * (float) Math.sqrt(1f - b2t) / (1f - b1t);
        return Float.isNaN(alpha) || Float.isInfinite(alpha) || alpha == 0 ? adamEpsilon(c) : alpha;
    }

    /**
     * Float buffers' bytes, made once per buffer: a trainer's stages each hold their own buffer object on the
     * same parameters (the two-tower trainer's tables and its dense head take turns every step), so a few are kept.
     */
    private static final class ByteView {
        private final FloatBuffer[] floats = new FloatBuffer[4];
        private final ByteBuffer[] bytes = new ByteBuffer[4];
        private int next;

        ByteBuffer of(FloatBuffer f) {
            for (int i = 0; i < floats.length; i++) if (floats[i] == f) return bytes[i];
            int i = next;
            next = (next + 1) % floats.length;
            floats[i] = f;
            return bytes[i] = NativeMemory.bytes(f);
        }
    }

    /** One thread's heap chunks and the update of a range of one segment. */
    private static final class Lane {
        private final float[] w = new float[CHUNK], g = new float[CHUNK], s1 = new float[CHUNK], s2 = new float[CHUNK], acc = new float[CHUNK];

        void update(Segment s, int start, int end, FloatBuffer params, FloatBuffer grads, FloatBuffer state, FloatBuffer accumulator,
                    int batchSize, int iteration, int epoch) {
            float inv = 1f / batchSize;
            float lr = (float) s.config.getLearningRate(iteration, epoch);
            float decay = s.decay + s.decayTimesLr * lr;
            int stateShift = s.stateStart - s.blockStart;
            for (int at = start; at < end; at += CHUNK) {
                int n = Math.min(CHUNK, end - at);
                params.get(at, w, 0, n);
                grads.get(at, g, 0, n);
                if (accumulator != null) accumulate(accumulator, at, n);
                meanPlusL2(n, inv, s.l2);
                switch (s.rule) {
                    case SGD -> sgd(n, lr, decay);
                    case NESTEROVS -> {
                        state.get(at + stateShift, s1, 0, n);
                        nesterovs((float) ((Nesterovs) s.config).currentMomentum(iteration, epoch), n, lr, decay);
                        state.put(at + stateShift, s1, 0, n);
                    }
                    case RMSPROP -> {
                        state.get(at + stateShift, s1, 0, n);
                        rmsProp((RmsProp) s.config, n, lr, decay);
                        state.put(at + stateShift, s1, 0, n);
                    }
                    case ADAGRAD -> {
                        state.get(at + stateShift, s1, 0, n);
                        adaGrad((AdaGrad) s.config, n, lr, decay);
                        state.put(at + stateShift, s1, 0, n);
                    }
                    case ADAM -> {
                        state.get(at + stateShift, s1, 0, n);
                        state.get(at + stateShift + s.blockLength, s2, 0, n);
                        adam((Adam) s.config, n, lr, decay, iteration);
                        state.put(at + stateShift, s1, 0, n);
                        state.put(at + stateShift + s.blockLength, s2, 0, n);
                    }
                }
                params.put(at, w, 0, n);
            }
        }

        private void accumulate(FloatBuffer accumulator, int from, int n) {
            accumulator.get(from, acc, 0, n);
            for (int i = 0; i < n; i++) {
                acc[i] += g[i];
                g[i] = acc[i];
            }
            accumulator.put(from, acc, 0, n);
        }

        /** The minibatch mean of the (accumulated) gradient plus L2, as DL4J has it before the optimiser. */
        private void meanPlusL2(int n, float inv, float l2) {
            if (l2 == 0) {
                for (int i = 0; i < n; i++) g[i] *= inv;
            } else {
                for (int i = 0; i < n; i++) g[i] = g[i] * inv + l2 * w[i];
            }
        }

        private void sgd(int n, float lr, float decay) {
            for (int i = 0; i < n; i++) w[i] -= lr * g[i] + decay * w[i];
        }

        /** libnd4j: {@code v' = μ·v − lr·g; u = μ·v + (−μ − 1)·v'} (DL4J's sign: the step subtracts u). */
        private void nesterovs(float momentum, int n, float lr, float decay) {
            float minusMomentumMinusOne = -momentum - 1;
            for (int i = 0; i < n; i++) {
                float previous = momentum * s1[i];
                float v = previous - lr * g[i];
                s1[i] = v;
                w[i] -= previous + minusMomentumMinusOne * v + decay * w[i];
            }
        }

        /** libnd4j: {@code s = s·decay + g²·(1 − decay); u = lr·g / (√s + ε)}. */
        private void rmsProp(RmsProp c, int n, float lr, float decay) {
            float rho = (float) c.getRmsDecay(), eps = (float) c.getEpsilon(), oneMinusRho = 1 - rho;
            for (int i = 0; i < n; i++) {
                float gi = g[i];
                float st = s1[i] * rho + gi * gi * oneMinusRho;
                s1[i] = st;
                w[i] -= lr * gi / ((float) Math.sqrt(st) + eps) + decay * w[i];
            }
        }

        /** libnd4j: {@code h = h + g²; u = lr·g / (√h + ε)}, ε 0 taken as 1e-7. */
        private void adaGrad(AdaGrad c, int n, float lr, float decay) {
            float eps = c.getEpsilon() == 0 ? 1e-7f : (float) c.getEpsilon();
            for (int i = 0; i < n; i++) {
                float gi = g[i];
                float h = s1[i] + gi * gi;
                s1[i] = h;
                w[i] -= lr * gi / ((float) Math.sqrt(h) + eps) + decay * w[i];
            }
        }

        /**
         * libnd4j: {@code m = β1·m + (1 − β1)·g; v = β2·v + (1 − β2)·g²; u = m·α / (√v + ε)} with
         * {@code α = lr·√(1 − β2^(t+1)) / (1 − β1^(t+1))}; DL4J keeps m then v, each as long as the block.
         */
        private void adam(Adam c, int n, float lr, float decay, int iteration) {
            float b1 = (float) c.getBeta1(), b2 = (float) c.getBeta2();
            float eps = adamEpsilon(c), alpha = adamAlpha(c, lr, iteration);
            float oneMinusB1 = 1 - b1, oneMinusB2 = 1 - b2;
            for (int i = 0; i < n; i++) {
                float gi = g[i];
                float m = b1 * s1[i] + gi * oneMinusB1;
                float v = b2 * s2[i] + gi * gi * oneMinusB2;
                s1[i] = m;
                s2[i] = v;
                w[i] -= m * alpha / ((float) Math.sqrt(v) + eps) + decay * w[i];
            }
        }
    }
}
