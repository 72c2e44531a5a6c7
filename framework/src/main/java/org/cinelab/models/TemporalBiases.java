package org.cinelab.models;

import org.cinelab.data.RatingTable;

import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;

/**
 * Koren's (2009, "Collaborative filtering with temporal dynamics") time-changing baseline terms:
 * {@code b_i,Bin(t) + α_u · dev_u(t)}. Bins split the training time range into equal spans; a held-out
 * time outside that range takes the nearest bin (with a time split, validation and test fall in the last
 * one). {@code dev_u(t) = sign(t − t_u)·|t − t_u|^0.4} in days, {@code t_u} the user's mean training date;
 * a user without training ratings has no drift.
 */
final class TemporalBiases implements BiasTerms {
    private static final int MAGIC = 0x434C5442; // "CLTB"
    private static final double SECONDS_PER_DAY = 86_400;
    private final int bins;
    private final long start;
    private final long span;
    private final int numItems;
    private final float lrBin;
    private final float regBin;
    private final boolean drift;
    private final float lrDrift;
    private final float regDrift;
    private final double[] userMeanDay;
    private final float[] binBias;   // items x bins, row-major
    private final float[] alpha;     // per user
    private final int[] trainUsers;
    private final int[] trainCell;   // per training row: index into binBias
    private final float[] trainDev;  // per training row: dev_u(t)

    TemporalBiases(RatingTable train, int numUsers, int numItems, int bins, double lrBin, double regBin,
                   boolean drift, double lrDrift, double regDrift) {
        this.bins = bins;
        this.numItems = numItems;
        this.lrBin = (float) lrBin;
        this.regBin = (float) regBin;
        this.drift = drift;
        this.lrDrift = (float) lrDrift;
        this.regDrift = (float) regDrift;
        long[] ts = train.timestamps();
        long min = Long.MAX_VALUE, max = Long.MIN_VALUE;
        for (long t : ts) { min = Math.min(min, t); max = Math.max(max, t); }
        this.start = ts.length == 0 ? 0 : min;
        this.span = ts.length == 0 ? 1 : max - min + 1;
        this.userMeanDay = meanDays(train, numUsers);
        this.binBias = new float[numItems * bins];
        this.alpha = new float[drift ? numUsers : 0];
        this.trainUsers = train.users();
        this.trainCell = new int[train.size()];
        this.trainDev = new float[drift ? train.size() : 0];
        for (int j = 0; j < train.size(); j++) {
            trainCell[j] = train.item(j) * bins + bin(ts[j]);
            if (drift) trainDev[j] = dev(train.user(j), ts[j]);
        }
    }

    /** The bin of a time, clamped to the training range. */
    int bin(long timestamp) {
        long offset = Math.max(0, Math.min(span - 1, timestamp - start));
        return (int) (offset * bins / span);
    }

    float dev(int user, long timestamp) {
        double mean = userMeanDay[user];
        if (Double.isNaN(mean)) return 0;
        double days = timestamp / SECONDS_PER_DAY - mean;
        return (float) (Math.signum(days) * Math.pow(Math.abs(days), 0.4));
    }

    @Override
    public float train(int row) {
        float v = binBias[trainCell[row]];
        return drift ? v + alpha[trainUsers[row]] * trainDev[row] : v;
    }

    @Override
    public void update(int row, float err) {
        int c = trainCell[row];
        binBias[c] += lrBin * (err - regBin * binBias[c]);
        if (drift) {
            int u = trainUsers[row];
            alpha[u] += lrDrift * (err * trainDev[row] - regDrift * alpha[u]);
        }
    }

    @Override
    public float predict(int user, int item, long timestamp) {
        float v = binBias[item * bins + bin(timestamp)];
        return drift ? v + alpha[user] * dev(user, timestamp) : v;
    }

    @Override
    public void save(DataOutputStream out) throws IOException {
        out.writeInt(MAGIC);
        out.writeInt(bins);
        out.writeBoolean(drift);
        SgdMatrixFactorization.writeArray(out, binBias);
        SgdMatrixFactorization.writeArray(out, alpha);
    }

    @Override
    public void load(DataInputStream in) throws IOException {
        if (in.readInt() != MAGIC) throw new IOException("checkpoint has no time-bin terms (not a biased-mf-time checkpoint)");
        int savedBins = in.readInt();
        boolean savedDrift = in.readBoolean();
        if (savedBins != bins || savedDrift != drift) {
            throw new IOException("checkpoint has " + savedBins + " time bins, user_drift " + savedDrift
                    + "; model has " + bins + ", " + drift);
        }
        SgdMatrixFactorization.readArray(in, binBias);
        SgdMatrixFactorization.readArray(in, alpha);
    }

    @Override
    public long parameterCount() { return (long) binBias.length + alpha.length; }

    @Override
    public String describe() {
        return "time terms = item_bin_bias[i][bin(t)]" + (drift ? " + alpha[u] * dev_u(t)" : "") + "; after Q the checkpoint has\n"
                + "int magic 0x434C5442, int bins, boolean user_drift, item_bin_bias (items x bins), alpha (users, empty without drift).\n"
                + "bin(t) = floor((t - " + start + ") * " + bins + " / " + span + "), t in Unix seconds clamped to the training range;\n"
                + "dev_u(t) = sign(d) * |d|^0.4, d = t/86400 - user's mean training day.\n"
                + "items=" + numItems + " bins=" + bins + "\n";
    }

    private static double[] meanDays(RatingTable train, int numUsers) {
        double[] sum = new double[numUsers];
        int[] count = new int[numUsers];
        for (int j = 0; j < train.size(); j++) {
            sum[train.user(j)] += train.timestamp(j) / SECONDS_PER_DAY;
            count[train.user(j)]++;
        }
        for (int u = 0; u < numUsers; u++) sum[u] = count[u] == 0 ? Double.NaN : sum[u] / count[u];
        return sum;
    }
}
