package org.cinelab.models.text;

import org.cinelab.data.PreparedData;
import org.cinelab.data.text.TextSplits;
import org.cinelab.space.HyperParameter;
import org.cinelab.space.Hyperparams;
import org.cinelab.space.SettingConflict;
import org.cinelab.models.ModelFactory;
import org.cinelab.models.TrialModel;
import org.cinelab.models.dl4j.Optimisers;
import org.cinelab.models.layers.LstmImplementation;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * Classifiers of titles into the clusters of a referenced DEC run (S1): {@code text-dnn}, dense
 * ReLU layers over the padded scaled sequences (or TF-IDF), and {@code text-lstm}, an embedding
 * followed by LSTM layers over the word indices. Their defaults are the study's settings.
 */
public final class TextClassifierFactory implements ModelFactory {
    static final List<String> METRICS = List.of("loss", "accuracy", "macro_precision", "macro_recall", "macro_f1",
            "weighted_precision", "weighted_recall", "weighted_f1");

    private final boolean lstm;

    private TextClassifierFactory(boolean lstm) { this.lstm = lstm; }

    public static TextClassifierFactory dnn() { return new TextClassifierFactory(false); }

    public static TextClassifierFactory lstm() { return new TextClassifierFactory(true); }

    @Override
    public String type() { return lstm ? "text-lstm" : "text-dnn"; }

    @Override
    public String description() {
        return lstm ? "Embedding -> LSTM layers -> softmax over a DEC run's clusters (S1); word-index sequences"
                : "Dense ReLU layers -> softmax over a DEC run's clusters (S1); padded scaled sequences or TF-IDF";
    }

    @Override
    public Class<? extends PreparedData> dataType() { return TextSplits.class; }

    @Override
    public List<HyperParameter> hyperParameters() {
        List<HyperParameter> h = new ArrayList<>(List.of(
                HyperParameter.text("labels", "", LabelSource::checkLabels, "path of a DEC cluster_labels.csv (show_id,cluster,...)"),
                HyperParameter.text("dec_run", "", LabelSource::checkRun, "or the id of the DEC run (or its parent run) whose model/cluster_labels.csv to use, or latest:EXPERIMENT = its newest FINISHED run with this trial's seed (same --seed)"),
                HyperParameter.text("tracking_dir", "mlruns", LabelSource::checkTrackingDir, "MLflow store searched for dec_run: a directory, file: URI or http(s):// tracking server"),
                HyperParameter.choice("optimizer", lstm ? "sgd-momentum" : "rmsprop", List.of("rmsprop", "sgd-momentum", "adam", "sgd"),
                        "optimizer; sgd-momentum is DL4J's Nesterov momentum (the closest it has to Keras SGD momentum)"),
                HyperParameter.real("lr", lstm ? 0.1 : 0.001, 1e-7, 10, "learning rate"),
                HyperParameter.real("momentum", 0.9, 0, 0.9999, "momentum of sgd-momentum"),
                HyperParameter.real("rms_decay", 0.9, 0, 0.9999, "RMSprop decay (Keras rho 0.9)"),
                HyperParameter.integer("batch_size", 128, 1, 1 << 20, "minibatch"),
                HyperParameter.real("dropout", 0.0, 0.0, 0.95, "dropout rate before each hidden layer but the first")));
        if (lstm) {
            h.add(HyperParameter.intList("units", List.of(64), 1, 65_536, false, "LSTM layer widths (deep: [64, 64]; shallow: [64])"));
            h.add(HyperParameter.integer("embedding_dim", 64, 1, 4096, "word embedding width"));
            h.add(HyperParameter.choice("input", "embedding", List.of("embedding", "scalar"),
                    "embedding: word indices (dataset option scale: false); scalar: each scaled position as a 1-feature time step"));
            h.add(LstmImplementation.hyperParameter());
        } else {
            h.add(HyperParameter.intList("hidden", List.of(512, 256, 128), 1, 65_536, false, "dense ReLU widths, e.g. [512, 256, 128]"));
            h.add(org.cinelab.models.dl4j.DenseEngine.hyperParameter());
        }
        return h;
    }

    @Override
    public List<SettingConflict> conflicts(Map<String, Object> params, Map<String, Object> datasetOptions) {
        List<SettingConflict> found = new ArrayList<>(LabelSource.conflicts(type(), params));
        if (!lstm) return found;
        Object representation = datasetOptions.get("representation");
        if (representation != null && !TextSplits.SEQUENCES.equals(representation)) {
            found.add(new SettingConflict("dataset.options.representation", "text-lstm reads word sequences: set "
                    + "dataset.options.representation: " + TextSplits.SEQUENCES + " (it is " + representation + ")"));
        } else if ("embedding".equals(params.get("input")) && Boolean.TRUE.equals(datasetOptions.get("scale"))) {
            found.add(new SettingConflict("dataset.options.scale", "text-lstm's input: embedding reads word indices, which"
                    + " scaling turns into fractions: set dataset.options.scale: false (or model.params.input: scalar)"));
        }
        return found;
    }

    @Override
    public String defaultObjectiveMetric() { return "loss"; }

    @Override
    public List<String> metricNames() { return METRICS; }

    @Override
    public boolean lowerIsBetter(String metric) { return metric.equals("loss"); }

    @Override
    public TrialModel create(Hyperparams p, PreparedData data, long seed) {
        return new TextClassifier(TextClassifierSettings.of(p, lstm), (TextSplits) data, seed);
    }

    static org.nd4j.linalg.learning.config.IUpdater updater(TextClassifierSettings s) {
        return switch (s.optimizer()) {
            case "sgd-momentum" -> new org.nd4j.linalg.learning.config.Nesterovs(s.lr(), s.momentum());
            default -> Optimisers.create(s.optimizer(), s.lr(), s.rmsDecay(), 1e-7);
        };
    }
}
