package org.cinelab.spec;

import org.cinelab.data.DatasetProvider;
import org.cinelab.data.DatasetRequest;
import org.cinelab.data.PreparedData;
import org.cinelab.data.RatingSplits;
import org.cinelab.space.HyperParameter;
import org.cinelab.space.Hyperparams;
import org.cinelab.models.ModelFactory;
import org.cinelab.models.TrialModel;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A fixed model and dataset for testing the loader's checks, so that expected messages, defaults and
 * resolved YAML do not change when the real zoo grows: {@code toy-mf} (factors, lr, reg) and
 * {@code toy-ratings} (official-style splits u1..u5, ua, ub and random; no options).
 */
final class ToyZoo {
    static final String MODEL = "toy-mf";
    static final String DATASET = "toy-ratings";

    /** A loader that knows only {@code toy-mf} and {@code toy-ratings}. */
    static final SpecLoader LOADER = new SpecLoader(one(MODEL, new ToyModel()), one(DATASET, new ToyRatings()));

    private ToyZoo() {}

    private static <T> Map<String, T> one(String name, T value) {
        Map<String, T> m = new LinkedHashMap<>();
        m.put(name, value);
        return m;
    }

    /** A rating model with three numeric hyperparameters, reporting rmse (the default objective) and mae. */
    private static final class ToyModel implements ModelFactory {
        public String type() { return MODEL; }

        public String description() { return "a rating model for tests"; }

        public Class<? extends PreparedData> dataType() { return RatingSplits.class; }

        public List<HyperParameter> hyperParameters() {
            return List.of(HyperParameter.integer("factors", 64, 1, 4096, "latent dimensions"),
                    HyperParameter.real("lr", 0.01, 0.0, 10.0, "learning rate"),
                    HyperParameter.real("reg", 0.05, 0.0, 10.0, "L2 regularisation"));
        }

        public String defaultObjectiveMetric() { return "rmse"; }

        public List<String> metricNames() { return List.of("rmse", "mae"); }

        public boolean lowerIsBetter(String metric) { return true; }

        public TrialModel create(Hyperparams params, PreparedData data, long seed) { throw new UnsupportedOperationException(); }
    }

    /** A rating dataset with eight splits (u1 first, so the default) and no options. */
    private static final class ToyRatings implements DatasetProvider {
        public String name() { return DATASET; }

        public Class<? extends PreparedData> dataType() { return RatingSplits.class; }

        public List<String> splits() { return List.of("u1", "u2", "u3", "u4", "u5", "ua", "ub", "random"); }

        public List<HyperParameter> options() { return List.of(); }

        public PreparedData load(DatasetRequest request) { throw new UnsupportedOperationException(); }
    }
}
