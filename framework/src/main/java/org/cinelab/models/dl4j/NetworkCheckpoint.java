package org.cinelab.models.dl4j;

import org.deeplearning4j.nn.api.Updater;
import org.deeplearning4j.nn.graph.ComputationGraph;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.nio.ByteBuffer;

/**
 * Writes a DL4J network's full training state into a trial's checkpoint stream, framed by the
 * model's own magic number: {@code [model magic]["CLDJ"][parameters][updater state][iteration][epoch]},
 * so a restored network takes exactly the next step an uninterrupted one would (Adam's bias
 * correction reads the iteration) and a checkpoint of another model is refused by name. Extra
 * arrays (e.g. a gradient accumulator) follow through {@link #writeArray}/{@link #readArray}.
 */
public final class NetworkCheckpoint {
    private static final int MAGIC = 0x434C444A; // "CLDJ"

    private NetworkCheckpoint() {}

    public static void write(DataOutputStream out, int modelMagic, MultiLayerNetwork net) throws IOException {
        out.writeInt(modelMagic);
        write(out, net.params(), net.getUpdater(true).getStateViewArray(), net.getIterationCount(), net.getEpochCount());
    }

    /** @param modelName what the message calls the model when the stream holds something else, e.g. "dec" */
    public static void read(DataInputStream in, int modelMagic, String modelName, MultiLayerNetwork net) throws IOException {
        expect(in, modelMagic, modelName);
        Updater updater = net.getUpdater(true);
        int[] counts = read(in, net.params(), updater.getStateViewArray());
        net.setIterationCount(counts[0]);
        net.setEpochCount(counts[1]);
    }

    public static void write(DataOutputStream out, int modelMagic, ComputationGraph net) throws IOException {
        out.writeInt(modelMagic);
        write(out, net.params(), net.getUpdater(true).getStateViewArray(),
                net.getConfiguration().getIterationCount(), net.getConfiguration().getEpochCount());
    }

    public static void read(DataInputStream in, int modelMagic, String modelName, ComputationGraph net) throws IOException {
        expect(in, modelMagic, modelName);
        int[] counts = read(in, net.params(), net.getUpdater(true).getStateViewArray());
        net.getConfiguration().setIterationCount(counts[0]);
        net.getConfiguration().setEpochCount(counts[1]);
    }

    private static void expect(DataInputStream in, int modelMagic, String modelName) throws IOException {
        if (in.readInt() != modelMagic) throw new IOException("not a " + modelName + " checkpoint");
    }

    private static void write(DataOutputStream out, INDArray params, INDArray updaterState, int iteration, int epoch) throws IOException {
        out.writeInt(MAGIC);
        writeArray(out, params);
        writeArray(out, updaterState);
        out.writeInt(iteration);
        out.writeInt(epoch);
    }

    private static int[] read(DataInputStream in, INDArray params, INDArray updaterState) throws IOException {
        if (in.readInt() != MAGIC) throw new IOException("not a CineLab DL4J network checkpoint");
        readArray(in, params, "parameters");
        readArray(in, updaterState, "updater state");
        return new int[]{in.readInt(), in.readInt()};
    }

    /** Length then float values; a null array is written as length 0. */
    public static void writeArray(DataOutputStream out, INDArray a) throws IOException {
        if (a == null) {
            out.writeInt(0);
            return;
        }
        float[] v = a.dup().reshape(a.length()).toFloatVector();
        out.writeInt(v.length);
        ByteBuffer buf = ByteBuffer.allocate(v.length * 4);
        buf.asFloatBuffer().put(v);
        out.write(buf.array());
    }

    /** Reads into {@code target} (in place), refusing a length that does not match. */
    public static void readArray(DataInputStream in, INDArray target, String what) throws IOException {
        int n = in.readInt();
        long expected = target == null ? 0 : target.length();
        if (n != expected) {
            throw new IOException("checkpoint " + what + " has " + n + " values, this model has " + expected
                    + " (was it saved with other settings?)");
        }
        if (n == 0) return;
        byte[] bytes = new byte[n * 4];
        in.readFully(bytes);
        float[] v = new float[n];
        ByteBuffer.wrap(bytes).asFloatBuffer().get(v);
        target.assign(Nd4j.createFromArray(v).reshape(target.shape()).castTo(target.dataType()));
    }
}
