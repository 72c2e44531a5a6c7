package org.cinelab.models;

import org.cinelab.data.RatingSplits;
import org.cinelab.data.RatingTable;
import org.cinelab.metrics.RatingErrors;

import java.io.BufferedOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.SplittableRandom;

/**
 * The trained state of biased MF, {@code r̂ = μ + b_u + b_i + p_u·q_i + extra}, where {@code extra} are
 * optional {@link BiasTerms} (biased-mf-time's temporal biases). Shared by biased-mf and biased-mf-time
 * so both train, checkpoint and export the same way.
 */
final class SgdMatrixFactorization implements TrialModel {
    private static final int MAGIC = 0x434C4D46; // "CLMF"
    private final String type;
    private final RatingSplits data;
    private final int k;
    private final float lr;
    private final float reg;
    private final long seed;
    private final float mu;
    private final float[] userBias;
    private final float[] itemBias;
    private final float[] p;
    private final float[] q;
    private final BiasTerms extra;

    SgdMatrixFactorization(String type, RatingSplits data, int k, double lr, double reg, double initStd, long seed,
                           BiasTerms extra) {
        this.type = type;
        this.data = data;
        this.k = k;
        this.lr = (float) lr;
        this.reg = (float) reg;
        this.seed = seed;
        this.extra = extra;
        this.mu = (float) data.train().meanRating();
        this.userBias = new float[data.numUsers()];
        this.itemBias = new float[data.numItems()];
        this.p = new float[data.numUsers() * k];
        this.q = new float[data.numItems() * k];
        SplittableRandom rng = new SplittableRandom(seed);
        for (int i = 0; i < p.length; i++) p[i] = (float) (gaussian(rng) * initStd);
        for (int i = 0; i < q.length; i++) q[i] = (float) (gaussian(rng) * initStd);
    }

    @Override
    public double trainEpoch(int epoch) {
        RatingTable train = data.train();
        int n = train.size();
        int[] order = BiasedMatrixFactorization.shuffled(n, new SplittableRandom(seed * 0x9E3779B97F4A7C15L + epoch));
        int[] users = train.users();
        int[] items = train.items();
        float[] ratings = train.ratings();
        double sse = 0;
        for (int idx : order) {
            int u = users[idx], i = items[idx];
            int pu = u * k, qi = i * k;
            float dot = 0;
            for (int f = 0; f < k; f++) dot += p[pu + f] * q[qi + f];
            float err = ratings[idx] - (mu + userBias[u] + itemBias[i] + dot + extra.train(idx));
            sse += (double) err * err;
            userBias[u] += lr * (err - reg * userBias[u]);
            itemBias[i] += lr * (err - reg * itemBias[i]);
            extra.update(idx, err);
            for (int f = 0; f < k; f++) {
                float puf = p[pu + f], qif = q[qi + f];
                p[pu + f] += lr * (err * qif - reg * puf);
                q[qi + f] += lr * (err * puf - reg * qif);
            }
        }
        return sse / n;
    }

    @Override
    public Map<String, Double> evaluate(Split split) {
        RatingTable t = split == Split.TEST ? data.test() : data.validation();
        RatingErrors errors = new RatingErrors();
        for (int j = 0; j < t.size(); j++) errors.add(predict(t.user(j), t.item(j), t.timestamp(j)), t.rating(j));
        return errors.asMap();
    }

    float predict(int u, int i, long timestamp) {
        float dot = 0;
        for (int f = 0; f < k; f++) dot += p[u * k + f] * q[i * k + f];
        float r = mu + userBias[u] + itemBias[i] + dot + extra.predict(u, i, timestamp);
        return Math.max(data.minRating(), Math.min(data.maxRating(), r));
    }

    @Override
    public void saveCheckpoint(DataOutputStream out) throws IOException {
        out.writeInt(MAGIC);
        out.writeInt(k);
        out.writeFloat(mu);
        writeArray(out, userBias);
        writeArray(out, itemBias);
        writeArray(out, p);
        writeArray(out, q);
        extra.save(out);
    }

    @Override
    public void loadCheckpoint(DataInputStream in) throws IOException {
        if (in.readInt() != MAGIC) throw new IOException("not a " + type + " checkpoint");
        int savedK = in.readInt();
        if (savedK != k) throw new IOException("checkpoint has " + savedK + " factors, model has " + k);
        in.readFloat();
        readArray(in, userBias);
        readArray(in, itemBias);
        readArray(in, p);
        readArray(in, q);
        extra.load(in);
    }

    @Override
    public void exportModel(Path dir) throws IOException {
        Files.createDirectories(dir);
        try (DataOutputStream out = new DataOutputStream(new BufferedOutputStream(Files.newOutputStream(dir.resolve("model.bin"))))) {
            saveCheckpoint(out);
        }
        String extraTerms = extra.describe();
        String readme = type + " model (CineLab)\n"
                + "prediction = mu + user_bias[u] + item_bias[i] + dot(P[u], Q[i])"
                + (extraTerms.isEmpty() ? "" : " + time terms") + ", clipped to ["
                + data.minRating() + ", " + data.maxRating() + "]\n"
                + "model.bin (big-endian): int magic 0x434C4D46, int factors, float mu, then arrays\n"
                + "user_bias, item_bias, P (users x factors, row-major), Q (items x factors), each as int length + floats.\n"
                + extraTerms
                + "users=" + data.numUsers() + " items=" + data.numItems() + " factors=" + k + " mu=" + mu + "\n"
                + "ids are dense: MovieLens raw id - 1\n";
        Files.writeString(dir.resolve("README.txt"), readme, StandardCharsets.UTF_8);
    }

    @Override
    public long parameterCount() {
        return (long) userBias.length + itemBias.length + p.length + q.length + 1 + extra.parameterCount();
    }

    static void writeArray(DataOutputStream out, float[] a) throws IOException {
        out.writeInt(a.length);
        ByteBuffer buf = ByteBuffer.allocate(a.length * 4);
        buf.asFloatBuffer().put(a);
        ((OutputStream) out).write(buf.array());
    }

    static void readArray(DataInputStream in, float[] a) throws IOException {
        int n = in.readInt();
        if (n != a.length) throw new IOException("checkpoint array has " + n + " values, expected " + a.length);
        byte[] bytes = new byte[n * 4];
        in.readFully(bytes);
        ByteBuffer.wrap(bytes).asFloatBuffer().get(a);
    }

    /** Box-Muller from a SplittableRandom, which (unlike java.util.Random) has no nextGaussian before Java 17's RandomGenerator. */
    private static double gaussian(SplittableRandom rng) {
        double u1 = rng.nextDouble(), u2 = rng.nextDouble();
        return Math.sqrt(-2 * Math.log(1 - u1)) * Math.cos(2 * Math.PI * u2);
    }
}
