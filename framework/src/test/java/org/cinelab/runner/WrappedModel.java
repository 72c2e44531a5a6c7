package org.cinelab.runner;

import org.cinelab.data.PreparedData;
import org.cinelab.models.ModelFactory;
import org.cinelab.models.TrialModel;
import org.cinelab.space.HyperParameter;

import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

/** A real model with a failure injected by the subclass's {@link #create}: everything else is the real model's. */
abstract class WrappedModel implements ModelFactory {
    final ModelFactory real;

    WrappedModel(ModelFactory real) { this.real = real; }

    @Override public String type() { return real.type(); }
    @Override public String description() { return real.description(); }
    @Override public Class<? extends PreparedData> dataType() { return real.dataType(); }
    @Override public List<HyperParameter> hyperParameters() { return real.hyperParameters(); }
    @Override public String defaultObjectiveMetric() { return real.defaultObjectiveMetric(); }
    @Override public List<String> metricNames() { return real.metricNames(); }
    @Override public boolean lowerIsBetter(String metric) { return real.lowerIsBetter(metric); }

    /** A trial model that is {@code m} in every method its subclass does not override. */
    static class DelegatingTrial implements TrialModel {
        final TrialModel m;

        DelegatingTrial(TrialModel m) { this.m = m; }

        @Override public double trainEpoch(int epoch) { return m.trainEpoch(epoch); }
        @Override public Map<String, Double> evaluate(Split split) { return m.evaluate(split); }
        @Override public void saveCheckpoint(DataOutputStream out) throws IOException { m.saveCheckpoint(out); }
        @Override public void loadCheckpoint(DataInputStream in) throws IOException { m.loadCheckpoint(in); }
        @Override public void exportModel(Path dir) throws IOException { m.exportModel(dir); }
        @Override public long parameterCount() { return m.parameterCount(); }
        @Override public Map<String, String> tags() { return m.tags(); }
    }
}
