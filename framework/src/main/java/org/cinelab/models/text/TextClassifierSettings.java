package org.cinelab.models.text;

import org.cinelab.models.dl4j.DenseEngine;
import org.cinelab.models.layers.LstmImplementation;
import org.cinelab.space.Hyperparams;


/** A text classifier trial's settings, read once from the resolved hyperparameters. */
record TextClassifierSettings(boolean lstm, String labels, String decRun, String trackingUri, String optimizer, double lr,
                              double momentum, double rmsDecay, int batchSize, double dropout,
                              int[] layers, int embeddingDim, boolean embeddingInput, LstmImplementation lstmImpl,
                              boolean dl4jEngine) {

    static TextClassifierSettings of(Hyperparams h, boolean lstm) {
        int[] layers = h.getIntList(lstm ? "units" : "hidden");
        return new TextClassifierSettings(lstm, h.getString("labels"), h.getString("dec_run"), h.getString("tracking_dir"),
                h.getString("optimizer"), h.getDouble("lr"), h.getDouble("momentum"), h.getDouble("rms_decay"), h.getInt("batch_size"),
                h.getDouble("dropout"), layers, lstm ? h.getInt("embedding_dim") : 0,
                lstm && h.getString("input").equals("embedding"),
                lstm ? LstmImplementation.of(h.getString(LstmImplementation.SETTING)) : LstmImplementation.DL4J,
                !lstm && DenseEngine.isDl4j(h));
    }
}
