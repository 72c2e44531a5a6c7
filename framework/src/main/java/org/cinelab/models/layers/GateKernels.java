package org.cinelab.models.layers;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.nio.ByteBuffer;

/**
 * The element-wise half of one LSTM time step, fused into one pass over the batch: gate
 * activations, cell update and output forward; gate derivatives backward. Gate blocks follow DL4J's
 * LSTM: a row of pre-activations holds {@code [a | f | o | i]}, each {@code hidden} wide, where
 * {@code a = tanh} is the block input, {@code f, o, i = sigmoid} the forget, output and input gates;
 * {@code c = f * c_prev + i * a}, {@code h = o * tanh(c)}. A mask value m multiplies c and h (DL4J's
 * masking: padded steps output 0 and pass a zero state on).
 *
 * <p>All arguments are byte offsets into little-endian buffers; rows are {@code batch} consecutive
 * examples. Two implementations: {@link VectorGateKernels} (jdk.incubator.vector, when the JVM was
 * started with {@code --add-modules jdk.incubator.vector}) and {@link ScalarGateKernels}.
 */
interface GateKernels {
    /**
     * Forward for one step. {@code z} holds the pre-activations without bias (overwritten by the
     * activations {@code a, f, o, i}); writes c (masked), tanh(c) (unmasked) and h (masked).
     *
     * @param mask null, or the step's mask values (one float per example) at {@code maskOff}
     */
    void forward(int batch, int hidden, ByteBuffer z, int zOff, ByteBuffer bias, ByteBuffer cells, int cPrevOff,
                 int cOff, ByteBuffer tanhCells, int tcOff, ByteBuffer hiddenOut, int hOff, ByteBuffer mask, int maskOff);

    /**
     * Backward for one step. {@code z} holds the step's activations and is overwritten by the gradient
     * of the pre-activations {@code [dA | dF | dO | dI]}. {@code dh} is the gradient reaching h (from
     * above and from step t+1); {@code carry} is {@code f_{t+1} * dc_{t+1}} on entry and
     * {@code f_t * dc_t} on exit. With a mask, the gradient flowing through a masked step is zero.
     */
    void backward(int batch, int hidden, ByteBuffer z, int zOff, ByteBuffer tanhCells, int tcOff, ByteBuffer cells,
                  int cPrevOff, ByteBuffer dh, int dhOff, ByteBuffer carry, ByteBuffer mask, int maskOff);

    /**
     * New kernels for one layer (not thread-safe): the vectorised ones if the JVM has the incubating
     * vector module, else the scalar ones (with one warning per JVM).
     */
    static GateKernels fastest() {
        if (Selection.VECTOR) return new VectorGateKernels();
        return new ScalarGateKernels();
    }

    /** Decided once per JVM. */
    final class Selection {
        private static final boolean VECTOR = choose();

        private Selection() {}

        private static boolean choose() {
            if (ModuleLayer.boot().findModule("jdk.incubator.vector").isPresent()) return true;
            Logger log = LoggerFactory.getLogger(GateKernels.class);
            log.warn("the JVM runs without --add-modules jdk.incubator.vector: CineLab's LSTM uses its scalar gate loops (slower)."
                    + " ./cinelab adds the flag; with plain java, add it yourself.");
            return false;
        }
    }
}
