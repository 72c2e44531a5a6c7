package org.cinelab.models.dl4j;

import org.deeplearning4j.nn.api.Trainable;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.deeplearning4j.nn.updater.BaseMultiLayerUpdater;
import org.deeplearning4j.nn.updater.UpdaterBlock;
import org.nd4j.linalg.learning.config.Adam;
import org.nd4j.linalg.schedule.FixedSchedule;
import org.nd4j.linalg.learning.config.IUpdater;
import org.nd4j.linalg.learning.config.RmsProp;
import org.nd4j.linalg.learning.config.Sgd;
import org.nd4j.linalg.learning.regularization.L2Regularization;
import org.nd4j.linalg.learning.regularization.Regularization;
import org.nd4j.linalg.learning.regularization.WeightDecay;

import java.nio.FloatBuffer;
import java.util.ArrayList;
import java.util.List;

/**
 * DL4J's parameter update as one pass over the parameters: divide the summed gradient by the
 * minibatch size, add L2 ({@code g += l2 w}), apply the optimiser (SGD, RMSprop, Adam, with
 * libnd4j's formulas), add decoupled weight decay ({@code u += wd lr w}) and step ({@code w -= u}),
 * in the order DL4J's {@code BaseMultiLayerUpdater} and {@code UpdaterBlock} apply them. The
 * optimiser state lives where DL4J keeps it (the network's updater state view, laid out by DL4J's
 * updater blocks), so checkpoints and exported models are unchanged and DL4J can take over at any step.
 */
final class DenseUpdater {
    private enum Rule { SGD, RMSPROP, ADAM }

    /** One parameter array (a layer's W or b) inside an updater block. */
    private record Segment(int start, int end, int blockStart, int stateStart, int blockLength, Rule rule, IUpdater config,
                           float l2, float decay, float decayTimesLr) {}

    private final List<Segment> segments;

    private DenseUpdater(List<Segment> segments) { this.segments = segments; }

    static DenseUpdater of(MultiLayerNetwork net) throws DenseLayout.UnsupportedNetworkException {
        if (!(net.getUpdater(true) instanceof BaseMultiLayerUpdater<?> updater)) {
            throw new DenseLayout.UnsupportedNetworkException("updater " + net.getUpdater());
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
                    } else if (r instanceof WeightDecay w && w.getCoeff() instanceof FixedSchedule) {
                        if (w.isApplyLR()) decayTimesLr += (float) w.getCoeff().valueAt(0, 0);
                        else decay += (float) w.getCoeff().valueAt(0, 0);
                    } else {
                        throw new DenseLayout.UnsupportedNetworkException("regularization " + r);
                    }
                }
                segments.add(new Segment(p.getParamOffsetStart(), p.getParamOffsetEnd(), block.getParamOffsetStart(),
                        block.getUpdaterViewOffsetStart(), blockLength, rule, config, l2, decay, decayTimesLr));
            }
        }
        return new DenseUpdater(List.copyOf(segments));
    }

    private static List<Regularization> regularizations(Trainable layer, String param) {
        List<Regularization> r = layer.getConfig().getRegularizationByParam(param);
        return r == null ? List.of() : r;
    }

    private static Rule rule(IUpdater config) throws DenseLayout.UnsupportedNetworkException {
        if (config.getClass() == Sgd.class && ((Sgd) config).getLearningRateSchedule() == null) return Rule.SGD;
        if (config.getClass() == RmsProp.class && ((RmsProp) config).getLearningRateSchedule() == null) return Rule.RMSPROP;
        if (config.getClass() == Adam.class && ((Adam) config).getLearningRateSchedule() == null) return Rule.ADAM;
        throw new DenseLayout.UnsupportedNetworkException("optimiser " + config);
    }

    /**
     * Updates {@code params} in place from the summed gradient of {@code batchSize} examples in
     * {@code grads}; with {@code accumulator} non-null the gradient is first added to it and the
     * step uses the running sum (the S3 course code's never-cleared gradients).
     */
    void apply(FloatBuffer params, FloatBuffer grads, FloatBuffer state, FloatBuffer accumulator, int batchSize, int iteration, int epoch) {
        float inv = 1f / batchSize;
        for (Segment s : segments) {
            float lr = (float) s.config.getLearningRate(iteration, epoch);
            float decay = s.decay + s.decayTimesLr * lr;
            switch (s.rule) {
                case SGD -> sgd(s, params, grads, accumulator, inv, lr, decay);
                case RMSPROP -> rmsProp(s, params, grads, state, accumulator, inv, lr, decay);
                case ADAM -> adam(s, params, grads, state, accumulator, inv, lr, decay, iteration);
            }
        }
    }

    /** The minibatch mean of the (accumulated) gradient plus L2, as DL4J has it before the optimiser. */
    private static float gradient(Segment s, FloatBuffer grads, FloatBuffer accumulator, int i, float inv, float w) {
        float g = grads.get(i);
        if (accumulator != null) {
            g += accumulator.get(i);
            accumulator.put(i, g);
        }
        g *= inv;
        return s.l2 == 0 ? g : g + s.l2 * w;
    }

    private static void sgd(Segment s, FloatBuffer params, FloatBuffer grads, FloatBuffer acc, float inv, float lr, float decay) {
        for (int i = s.start; i < s.end; i++) {
            float w = params.get(i);
            float u = lr * gradient(s, grads, acc, i, inv, w) + decay * w;
            params.put(i, w - u);
        }
    }

    /** libnd4j: {@code s = s·decay + g²·(1 − decay); u = lr·g / (√s + ε)}. */
    private static void rmsProp(Segment s, FloatBuffer params, FloatBuffer grads, FloatBuffer state, FloatBuffer acc, float inv,
                                float lr, float decay) {
        RmsProp c = (RmsProp) s.config;
        float rho = (float) c.getRmsDecay(), eps = (float) c.getEpsilon();
        int shift = s.stateStart - s.blockStart;
        for (int i = s.start; i < s.end; i++) {
            float w = params.get(i);
            float g = gradient(s, grads, acc, i, inv, w);
            float st = state.get(i + shift) * rho + g * g * (1 - rho);
            state.put(i + shift, st);
            float u = lr * g / ((float) Math.sqrt(st) + eps) + decay * w;
            params.put(i, w - u);
        }
    }

    /**
     * libnd4j: {@code m = β1·m + (1 − β1)·g; v = β2·v + (1 − β2)·g²; u = m·α / (√v + ε)} with
     * {@code α = lr·√(1 − β2^(t+1)) / (1 − β1^(t+1))}; DL4J keeps m then v, each as long as the block.
     */
    private static void adam(Segment s, FloatBuffer params, FloatBuffer grads, FloatBuffer state, FloatBuffer acc, float inv,
                             float lr, float decay, int iteration) {
        Adam c = (Adam) s.config;
        float b1 = (float) c.getBeta1(), b2 = (float) c.getBeta2();
        float eps = c.getEpsilon() == 0 ? 1e-7f : (float) c.getEpsilon();
        float b1t = (float) Math.pow(b1, iteration + 1), b2t = (float) Math.pow(b2, iteration + 1);
        float alpha = lr * (float) Math.sqrt(1f - b2t) / (1f - b1t);
        if (Float.isNaN(alpha) || Float.isInfinite(alpha) || alpha == 0) alpha = eps;
        int mShift = s.stateStart - s.blockStart, vShift = mShift + s.blockLength;
        for (int i = s.start; i < s.end; i++) {
            float w = params.get(i);
            float g = gradient(s, grads, acc, i, inv, w);
            float m = b1 * state.get(i + mShift) + g * (1 - b1);
            float v = b2 * state.get(i + vShift) + g * g * (1 - b2);
            state.put(i + mShift, m);
            state.put(i + vShift, v);
            float u = m * alpha / ((float) Math.sqrt(v) + eps) + decay * w;
            params.put(i, w - u);
        }
    }
}
