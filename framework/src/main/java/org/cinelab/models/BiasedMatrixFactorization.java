package org.cinelab.models;

import org.cinelab.data.FeaturedRatingSplits;
import org.cinelab.data.PreparedData;
import org.cinelab.data.RatingSplits;
import org.cinelab.data.RatingTable;
import org.cinelab.metrics.RatingErrors;

import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;

/**
 * Biased matrix factorisation (Koren, Bell and Volinsky, "Matrix Factorization Techniques for
 * Recommender Systems", 2009): {@code r̂ = μ + b_u + b_i + p_u·q_i}, trained by SGD over shuffled
 * ratings with L2 regularisation, as Surprise's SVD does. Plain float arrays rather than ND4J:
 * one tiny update per rating is dominated by native-call overhead in a tensor library.
 */
public final class BiasedMatrixFactorization implements ModelFactory {

    @Override
    public String type() { return "biased-mf"; }

    @Override
    public String description() {
        return "Biased matrix factorisation (Koren, Bell, Volinsky 2009) trained by SGD; rating prediction";
    }

    @Override
    public Class<? extends PreparedData> dataType() { return RatingSplits.class; }

    @Override
    public List<HyperParameter> hyperParameters() {
        return List.of(
                HyperParameter.integer("factors", 100, 1, 4096, "latent dimensions of p_u and q_i"),
                HyperParameter.real("lr", 0.005, 1e-6, 1.0, "SGD learning rate"),
                HyperParameter.real("reg", 0.02, 0.0, 10.0, "L2 regularisation of biases and factors"),
                HyperParameter.real("init_std", 0.1, 0.0, 10.0, "standard deviation of the normal initial factors"));
    }

    @Override
    public String defaultObjectiveMetric() { return "rmse"; }

    @Override
    public List<String> metricNames() { return List.of("rmse", "mae"); }

    @Override
    public boolean lowerIsBetter(String metric) { return true; }

    @Override
    public TrialModel create(Hyperparams params, PreparedData data, long seed) {
        return new Trained(FeaturedRatingSplits.ratingsOf(data), params.getInt("factors"), params.getDouble("lr"),
                params.getDouble("reg"), params.getDouble("init_std"), seed);
    }

    private static final class Trained implements TrialModel {
        private static final int MAGIC = 0x434C4D46; // "CLMF"
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

        Trained(RatingSplits data, int k, double lr, double reg, double initStd, long seed) {
            this.data = data;
            this.k = k;
            this.lr = (float) lr;
            this.reg = (float) reg;
            this.seed = seed;
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
            int[] order = shuffled(n, new SplittableRandom(seed * 0x9E3779B97F4A7C15L + epoch));
            int[] users = train.users();
            int[] items = train.items();
            float[] ratings = train.ratings();
            double sse = 0;
            for (int idx : order) {
                int u = users[idx], i = items[idx];
                int pu = u * k, qi = i * k;
                float dot = 0;
                for (int f = 0; f < k; f++) dot += p[pu + f] * q[qi + f];
                float err = ratings[idx] - (mu + userBias[u] + itemBias[i] + dot);
                sse += (double) err * err;
                userBias[u] += lr * (err - reg * userBias[u]);
                itemBias[i] += lr * (err - reg * itemBias[i]);
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
            for (int j = 0; j < t.size(); j++) errors.add(predict(t.user(j), t.item(j)), t.rating(j));
            return errors.asMap();
        }

        float predict(int u, int i) {
            float dot = 0;
            for (int f = 0; f < k; f++) dot += p[u * k + f] * q[i * k + f];
            float r = mu + userBias[u] + itemBias[i] + dot;
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
        }

        @Override
        public void loadCheckpoint(DataInputStream in) throws IOException {
            if (in.readInt() != MAGIC) throw new IOException("not a biased-mf checkpoint");
            int savedK = in.readInt();
            if (savedK != k) throw new IOException("checkpoint has " + savedK + " factors, model has " + k);
            in.readFloat();
            readArray(in, userBias);
            readArray(in, itemBias);
            readArray(in, p);
            readArray(in, q);
        }

        @Override
        public void exportModel(Path dir) throws IOException {
            Files.createDirectories(dir);
            try (DataOutputStream out = new DataOutputStream(new java.io.BufferedOutputStream(Files.newOutputStream(dir.resolve("model.bin"))))) {
                saveCheckpoint(out);
            }
            String readme = "biased-mf model (CineLab)\n"
                    + "prediction = mu + user_bias[u] + item_bias[i] + dot(P[u], Q[i]), clipped to ["
                    + data.minRating() + ", " + data.maxRating() + "]\n"
                    + "model.bin (big-endian): int magic 0x434C4D46, int factors, float mu, then arrays\n"
                    + "user_bias, item_bias, P (users x factors, row-major), Q (items x factors), each as int length + floats.\n"
                    + "users=" + data.numUsers() + " items=" + data.numItems() + " factors=" + k + " mu=" + mu + "\n"
                    + "ids are dense: MovieLens raw id - 1\n";
            Files.writeString(dir.resolve("README.txt"), readme, StandardCharsets.UTF_8);
        }

        @Override
        public long parameterCount() {
            return (long) userBias.length + itemBias.length + p.length + q.length + 1;
        }

        private static void writeArray(DataOutputStream out, float[] a) throws IOException {
            out.writeInt(a.length);
            java.nio.ByteBuffer buf = java.nio.ByteBuffer.allocate(a.length * 4);
            buf.asFloatBuffer().put(a);
            ((OutputStream) out).write(buf.array());
        }

        private static void readArray(DataInputStream in, float[] a) throws IOException {
            int n = in.readInt();
            if (n != a.length) throw new IOException("checkpoint array has " + n + " values, expected " + a.length);
            byte[] bytes = new byte[n * 4];
            in.readFully(bytes);
            java.nio.ByteBuffer.wrap(bytes).asFloatBuffer().get(a);
        }
    }

    static int[] shuffled(int n, SplittableRandom rng) {
        int[] a = new int[n];
        for (int i = 0; i < n; i++) a[i] = i;
        for (int i = n - 1; i > 0; i--) {
            int j = rng.nextInt(i + 1);
            int t = a[i]; a[i] = a[j]; a[j] = t;
        }
        return a;
    }

    /** Box-Muller from a SplittableRandom, which (unlike java.util.Random) has no nextGaussian before Java 17's RandomGenerator. */
    private static double gaussian(SplittableRandom rng) {
        double u1 = rng.nextDouble(), u2 = rng.nextDouble();
        return Math.sqrt(-2 * Math.log(1 - u1)) * Math.cos(2 * Math.PI * u2);
    }
}
