package org.cinelab.runner;

import org.cinelab.data.DatasetRequest;
import org.cinelab.data.PreparedData;
import org.cinelab.data.sets.DatasetRegistry;
import org.cinelab.models.ModelFactory;
import org.cinelab.models.TrialModel;
import org.cinelab.models.zoo.ModelRegistry;
import org.cinelab.space.Hyperparams;
import org.cinelab.spec.ExperimentSpec;
import org.cinelab.spec.SpecException;
import org.cinelab.spec.SpecLoader;
import org.cinelab.tracking.MetricPoint;
import org.cinelab.tracking.MlflowFileStore;
import org.cinelab.tracking.RunInfo;
import org.cinelab.tracking.Tracker;

import java.io.IOException;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.TreeSet;

/**
 * {@code cinelab reproduce RUN}: re-runs what a logged run records and compares. A trial's run is
 * retrained alone (its logged spec, values, trial seed and epochs, on data whose checksum must match)
 * and every per-epoch and final metric compared; a parent run's whole execution is run again into a
 * scratch store and each trial compared with its namesake. Versions and thread settings that differ
 * from the record are said, since they change the last digits.
 */
public final class Reproduction {
    /** The record cannot be re-run: no such run, no logged spec, data with another checksum. CLI exit code 2. */
    public static final class Refused extends IllegalStateException {
        public Refused(String message) { super(message); }
    }

    /** One compared number: a param (as text) or a metric at a step. */
    public record Difference(String run, String key, String recorded, String reproduced, double absolute) {}

    /** What was compared and how it went. */
    public record Outcome(int compared, List<Difference> differences, double maxAbsolute, List<String> notes) {
        public boolean equalWithin(double tolerance) {
            return differences.stream().allMatch(d -> !Double.isNaN(d.absolute()) && d.absolute() <= tolerance);
        }
    }

    /** What a version tag meant on runs from before it was recorded. */
    private static final Map<String, String> BEFORE_RECORDED = Map.of("cinelab.openblas_coretype", "auto");

    private final Tracker tracker;
    private final Path dataDir;
    private final PrintWriter out;

    public Reproduction(Tracker tracker, Path dataDir, PrintWriter out) {
        this.tracker = tracker;
        this.dataDir = dataDir;
        this.out = out;
    }

    public Outcome reproduce(String runId) throws IOException {
        RunInfo run = tracker.getRun(runId).orElseThrow(() -> new Refused("no run " + runId + " in " + tracker.location()));
        Map<String, String> tags = tracker.getTags(runId);
        String parentId = tags.get("mlflow.parentRunId");
        if (tags.containsKey("cinelab.refit_of")) {
            throw new Refused("run " + runId + " is the refit of " + tags.get("cinelab.refit_of")
                    + " on training + validation; reproduce its parent " + parentId + " (the whole execution) instead");
        }
        List<String> dropped = new ArrayList<>();
        ExperimentSpec spec = loggedSpec(parentId != null ? parentId : runId, dropped);
        List<String> notes = versionNotes(tags);
        for (String d : dropped) notes.add("the logged spec sets " + d + ", no longer a setting; re-run without it");
        return parentId == null ? execution(run, spec, tags, notes) : trial(run, spec, tags, notes);
    }

    /** The spec as the execution ran it: its logged {@code spec.yaml} (defaults, overrides and seed resolved). */
    private ExperimentSpec loggedSpec(String parentId, List<String> dropped) throws IOException {
        byte[] yaml = tracker.readArtifact(parentId, "spec.yaml").orElseThrow(() -> new Refused(
                "run " + parentId + " has no spec.yaml artifact: it was not logged by cinelab run, so it cannot be re-run"));
        try {
            String text = org.cinelab.spec.RetiredSettings.withoutRetired(new String(yaml, StandardCharsets.UTF_8), dropped);
            return SpecLoader.loadString(text, Path.of("spec.yaml of run " + parentId));
        } catch (SpecException e) {
            throw new Refused("the logged spec.yaml of run " + parentId + " does not load with this CineLab: "
                    + e.problems().get(0) + (e.problems().size() > 1 ? " (and " + (e.problems().size() - 1) + " more)" : ""));
        }
    }

    private List<String> versionNotes(Map<String, String> recorded) {
        List<String> notes = new ArrayList<>();
        Provenance.versions().forEach((k, is) -> {
            String was = recorded.getOrDefault(k, BEFORE_RECORDED.get(k));
            if (was != null && !was.equals(is)) notes.add(k + " was " + was + ", is " + is);
        });
        return notes;
    }

    private PreparedData data(ExperimentSpec spec, Map<String, String> tags) throws IOException {
        PreparedData data = DatasetRegistry.find(spec.dataset().name()).orElseThrow()
                .load(new DatasetRequest(spec.dataset().split(), spec.dataset().options(), spec.seed(), dataDir, m -> { }));
        String recorded = tags.get("cinelab.dataset_sha256");
        if (recorded != null && !recorded.equals(data.dataSha256())) {
            throw new Refused("the data in " + dataDir + " is not the data the run used: " + spec.dataset().name()
                    + " has sha256 " + data.dataSha256() + ", the run recorded " + recorded
                    + "; point --data-dir (or CINELAB_DATA) at the same copy, or fetch it again with cinelab datasets fetch");
        }
        String split = tags.get("cinelab.split_id");
        if (split != null && !split.equals(data.splitId())) {
            throw new Refused("the split differs from the run's (split id " + data.splitId() + ", recorded " + split + ")");
        }
        return data;
    }

    /** Retrains one trial as recorded and compares it epoch by epoch. */
    private Outcome trial(RunInfo run, ExperimentSpec spec, Map<String, String> tags, List<String> notes) throws IOException {
        ModelFactory factory = ModelRegistry.find(spec.model().type()).orElseThrow();
        Map<String, String> params = tracker.getParams(run.runId());
        Map<String, Object> values = new TreeMap<>();
        for (String name : spec.space().params().keySet()) {
            if (params.containsKey(name)) values.put(name, TrialValues.parse(spec, name, params.get(name)));
        }
        long seed = Long.parseLong(require(tags, "cinelab.seed", run));
        PreparedData data = data(spec, tags);
        Hyperparams hp = Hyperparams.resolve(factory.hyperParameters(), spec.model().params(), values);
        int epochs = tracker.getMetricHistory(run.runId(), "train_loss").size();
        int modelEpoch = tags.containsKey("cinelab.best_epoch") ? Integer.parseInt(tags.get("cinelab.best_epoch")) : epochs;
        out.printf("Reproducing %s (%s): %d epoch(s), test at epoch %d%n", run.runId(), run.runName(), epochs, modelEpoch);
        TrialModel model = factory.create(hp, data, seed);
        Map<String, List<MetricPoint>> reproduced = new LinkedHashMap<>();
        byte[] atModelEpoch = null;
        for (int e = 1; e <= epochs; e++) {
            double loss = model.trainEpoch(e);
            add(reproduced, "train_loss", loss, e);
            for (Map.Entry<String, Double> m : model.evaluate(TrialModel.Split.VALIDATION).entrySet()) add(reproduced, "val_" + m.getKey(), m.getValue(), e);
            if (e == modelEpoch && modelEpoch < epochs) atModelEpoch = checkpoint(model);
        }
        if (atModelEpoch != null) {
            model = factory.create(hp, data, seed);
            model.loadCheckpoint(new java.io.DataInputStream(new java.io.ByteArrayInputStream(atModelEpoch)));
        }
        for (Map.Entry<String, Double> m : model.evaluate(TrialModel.Split.TEST).entrySet()) add(reproduced, "test_" + m.getKey(), m.getValue(), modelEpoch);
        List<Difference> diffs = new ArrayList<>();
        int compared = compare(run.runId(), run.runName(), reproduced, diffs);
        return outcome(compared, diffs, notes);
    }

    private static byte[] checkpoint(TrialModel model) throws IOException {
        java.io.ByteArrayOutputStream bytes = new java.io.ByteArrayOutputStream();
        java.io.DataOutputStream d = new java.io.DataOutputStream(bytes);
        model.saveCheckpoint(d);
        d.flush();
        return bytes.toByteArray();
    }

    /** Runs the execution again into a scratch file store and compares each trial with the recorded one of the same id. */
    private Outcome execution(RunInfo parent, ExperimentSpec spec, Map<String, String> tags, List<String> notes) throws IOException {
        data(spec, tags);
        Path scratch = Files.createTempDirectory("cinelab-reproduce-");
        out.printf("Reproducing execution %s (%s) in a scratch store%n", parent.runId(), parent.runName());
        List<Difference> diffs = new ArrayList<>();
        int compared = 0;
        try (MlflowFileStore again = new MlflowFileStore(scratch.resolve("mlruns"))) {
            ExperimentResult result = new ExperimentRunner(spec, again, new RunOptions(1, false, dataDir, scratch.resolve("state"),
                    new PrintWriter(java.io.Writer.nullWriter()))).run();
            Map<String, String> recordedByTrial = childrenByTrial(tracker, parent.experimentId(), parent.runId());
            Map<String, String> reproducedByTrial = childrenByTrial(again, result.experimentId(), result.parentRunId());
            for (String trial : new TreeSet<>(recordedByTrial.keySet())) {
                String was = recordedByTrial.get(trial);
                String now = reproducedByTrial.get(trial);
                if (now == null) {
                    diffs.add(new Difference(trial, "(run)", was, "missing", Double.NaN));
                    continue;
                }
                Map<String, String> p1 = new TreeMap<>(tracker.getParams(was));
                Map<String, String> p2 = new TreeMap<>(again.getParams(now));
                for (String k : new TreeSet<>(p1.keySet())) {
                    if (!p2.containsKey(k) && org.cinelab.spec.RetiredSettings.message(k).isPresent()) {
                        // Logged by older versions; no longer a hyperparameter, so not a difference in what was trained.
                        String note = "params." + k + " (" + p1.get(k) + ") is no longer logged: " + org.cinelab.spec.RetiredSettings.message(k).get();
                        if (!notes.contains(note)) notes.add(note);
                        continue;
                    }
                    compared++;
                    if (!p1.get(k).equals(p2.get(k))) diffs.add(new Difference(trial, "params." + k, p1.get(k), p2.get(k), Double.NaN));
                }
                Map<String, List<MetricPoint>> reproduced = new LinkedHashMap<>();
                for (String key : again.getMetricKeys(now)) reproduced.put(key, again.getMetricHistory(now, key));
                compared += compare(was, trial, reproduced, diffs);
            }
            for (String extra : reproducedByTrial.keySet()) {
                if (!recordedByTrial.containsKey(extra)) diffs.add(new Difference(extra, "(run)", "missing", reproducedByTrial.get(extra), Double.NaN));
            }
        } finally {
            StateStore.deleteTree(scratch);
        }
        return outcome(compared, diffs, notes);
    }

    private static Map<String, String> childrenByTrial(Tracker t, String experimentId, String parentId) throws IOException {
        Map<String, String> out = new TreeMap<>();
        for (RunInfo r : t.listRuns(experimentId)) {
            Map<String, String> tags = t.getTags(r.runId());
            if (parentId.equals(tags.get("mlflow.parentRunId")) && tags.containsKey("cinelab.trial_id")) {
                out.put(tags.get("cinelab.trial_id"), r.runId());
            }
        }
        return out;
    }

    /** Compares every recorded metric point of {@code runId} with the reproduced one at the same key and step. */
    private int compare(String runId, String label, Map<String, List<MetricPoint>> reproduced, List<Difference> diffs) throws IOException {
        int compared = 0;
        for (String key : new TreeSet<>(tracker.getMetricKeys(runId))) {
            Map<Long, Double> again = new TreeMap<>();
            for (MetricPoint p : reproduced.getOrDefault(key, List.of())) again.put(p.step(), p.value());
            for (MetricPoint p : tracker.getMetricHistory(runId, key)) {
                compared++;
                Double v = again.get(p.step());
                double abs = v == null ? Double.NaN : Math.abs(v - p.value());
                if (v == null || v.doubleValue() != p.value()) {
                    diffs.add(new Difference(label, key + "@" + p.step(), Double.toString(p.value()), v == null ? "missing" : Double.toString(v), abs));
                }
            }
        }
        return compared;
    }

    private static void add(Map<String, List<MetricPoint>> m, String key, double v, long step) {
        m.computeIfAbsent(key, k -> new ArrayList<>()).add(new MetricPoint(key, v, step, 0));
    }

    private static Outcome outcome(int compared, List<Difference> diffs, List<String> notes) {
        double max = 0;
        for (Difference d : diffs) max = Double.isNaN(d.absolute()) ? Double.NaN : Double.isNaN(max) ? max : Math.max(max, d.absolute());
        return new Outcome(compared, diffs, max, notes);
    }

    private static String require(Map<String, String> tags, String key, RunInfo run) {
        String v = tags.get(key);
        if (v == null) throw new Refused("run " + run.runId() + " has no tag " + key + ": it was not logged by cinelab run");
        return v;
    }
}
