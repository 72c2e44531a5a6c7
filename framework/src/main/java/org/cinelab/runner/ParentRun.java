package org.cinelab.runner;

import org.cinelab.charts.Charts;
import org.cinelab.data.PreparedData;
import org.cinelab.search.SearchSettings;
import org.cinelab.space.Domain;
import org.cinelab.spec.ExperimentSpec;
import org.cinelab.tracking.MetricPoint;
import org.cinelab.tracking.RunStatus;
import org.cinelab.tracking.Tracker;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The parent run of an execution: created with the search's settings (each hyperparameter logged
 * once, in spec syntax: {@code space.lr = loguniform(0.002, 0.02)}, fixed ones by name), the
 * resolved {@code spec.yaml} and data artifacts; finished with the summary table, learning curves,
 * the best trial's metrics and model, and the refit's test metrics.
 */
final class ParentRun {
    private final ExperimentSpec spec;
    private final Tracker tracker;
    private final StateStore store;

    ParentRun(ExperimentSpec spec, Tracker tracker, StateStore store) {
        this.spec = spec;
        this.tracker = tracker;
        this.store = store;
    }

    /** Params every child shares with the parent: seed, model type, data and split. */
    static Map<String, String> sharedParams(ExperimentSpec spec, PreparedData data) {
        Map<String, String> p = new LinkedHashMap<>();
        p.put("seed", Long.toString(spec.seed()));
        p.put("model.type", spec.model().type());
        p.putAll(data.params());
        return p;
    }

    /** Creates the experiment (if new) and the parent run, records both in {@code state}, logs params and artifacts. */
    void start(StateStore.ExperimentState state, PreparedData data, Map<String, String> provenance) throws IOException {
        Map<String, String> expTags = new LinkedHashMap<>();
        if (spec.description() != null && !spec.description().isBlank()) expTags.put("mlflow.note.content", spec.description());
        state.experimentId = tracker.getOrCreateExperiment(experimentName(spec), expTags);
        Map<String, String> tags = new LinkedHashMap<>(provenance);
        if (spec.description() != null && !spec.description().isBlank()) tags.put("mlflow.note.content", spec.description());
        tags.put("cinelab.role", "parent");
        if (!spec.overrides().isEmpty()) tags.put("cinelab.overrides", String.join("\n", spec.overrides()));
        state.parentRunId = tracker.createRun(state.experimentId, spec.name() + " " + spec.search().scheduler(),
                System.currentTimeMillis(), tags);
        store.writeExperiment(state);
        tracker.logParams(state.parentRunId, params(data));
        Path specFile = store.dir().resolve("spec.yaml");
        Files.writeString(specFile, spec.resolvedYaml(), StandardCharsets.UTF_8);
        tracker.logArtifact(state.parentRunId, "spec.yaml", specFile);
        for (Map.Entry<String, Path> a : data.artifacts().entrySet()) {
            tracker.logArtifact(state.parentRunId, "data/" + a.getKey(), a.getValue());
        }
    }

    private Map<String, String> params(PreparedData data) {
        Map<String, String> params = new LinkedHashMap<>(sharedParams(spec, data));
        spec.model().params().forEach((k, v) -> params.put(k, Domain.format(v)));
        SearchSettings s = spec.search();
        params.put("search.sampler", s.sampler());
        new java.util.TreeMap<>(s.samplerOptions()).forEach((k, v) -> params.put("search.sampler." + k, Domain.format(v)));
        if (s.trials() != null) params.put("search.trials", s.trials().toString());
        params.put("search.scheduler", s.scheduler());
        new java.util.TreeMap<>(s.schedulerOptions()).forEach((k, v) -> params.put("search.scheduler." + k, Domain.format(v)));
        params.put("search.max_epochs", Integer.toString(s.maxEpochs()));
        params.put("search.eta", Integer.toString(s.eta()));
        params.put("search.min_epochs", Integer.toString(s.minEpochs()));
        if (s.earlyStopping() != null) {
            params.put("search.early_stopping.patience", Integer.toString(s.earlyStopping().patience()));
            params.put("search.early_stopping.min_delta", Double.toString(s.earlyStopping().minDelta()));
        }
        params.put("search.refit", Boolean.toString(s.refit()));
        params.put("objective.metric", spec.objective().metric());
        params.put("objective.mode", spec.objective().mode().specName());
        spec.space().params().forEach((k, p) -> params.put("space." + k, p.domain().specText()
                + (p.when() == null ? "" : " when " + p.when().parent() + " in " + Domain.format(p.when().values()))));
        return params;
    }

    /**
     * Closes the parent: summary CSV, learning curves, best trial's metrics and tags, the refit's
     * test metrics (when there was one), FINISHED. Prints the summary table.
     */
    void finish(StateStore.ExperimentState state, ExperimentResult result, List<TrialState> trials, TrialState refit,
                long epochsPlanned, java.io.PrintWriter out) throws IOException {
        String metric = spec.objective().metric();
        Path summaryCsv = store.dir().resolve("trials.csv");
        Files.writeString(summaryCsv, SummaryTable.csv(result, metric), StandardCharsets.UTF_8);
        tracker.logArtifact(state.parentRunId, "trials.csv", summaryCsv);
        Path curves = store.dir().resolve("learning_curves.png");
        Charts.lines(spec.name() + ": validation " + metric + " per trial", "epoch", "val_" + metric,
                learningCurves(trials, metric), curves);
        tracker.logArtifact(state.parentRunId, "learning_curves.png", curves);
        Map<String, String> tags = new LinkedHashMap<>();
        if (result.best() != null) {
            var best = result.best();
            long now = System.currentTimeMillis();
            List<MetricPoint> points = new ArrayList<>();
            points.add(new MetricPoint("best_val_" + metric, best.objective(), 0, now));
            best.test().forEach((k, v) -> points.add(new MetricPoint("best_test_" + k, v, 0, now)));
            if (tracker.getMetricHistory(state.parentRunId, "best_val_" + metric).isEmpty()) tracker.logMetrics(state.parentRunId, points);
            tags.put("cinelab.best_trial", best.trialId());
            tags.put("cinelab.best_run_id", best.runId());
        }
        if (refit != null) {
            tags.put("cinelab.refit_run_id", refit.runId);
            if (refit.status == TrialState.Status.FINISHED && !refit.test.isEmpty()
                    && tracker.getMetricHistory(state.parentRunId, "refit_test_" + refit.test.keySet().iterator().next()).isEmpty()) {
                long now = System.currentTimeMillis();
                List<MetricPoint> points = new ArrayList<>();
                refit.test.forEach((k, v) -> points.add(new MetricPoint("refit_test_" + k, v, 0, now)));
                tracker.logMetrics(state.parentRunId, points);
            }
        }
        long failed = result.trials().stream().filter(r -> r.status() == TrialState.Status.FAILED).count();
        tags.put("cinelab.trials", Integer.toString(result.trials().size()));
        tags.put("cinelab.trials_failed", Long.toString(failed));
        tags.put("cinelab.epochs_planned", Long.toString(epochsPlanned));
        tags.put("cinelab.epochs_trained", Long.toString(trials.stream().mapToLong(t -> t.epochsDone).sum()));
        tracker.setTags(state.parentRunId, tags);
        tracker.setRunStatus(state.parentRunId, RunStatus.FINISHED, System.currentTimeMillis());
        state.finished = true;
        store.writeExperiment(state);
        out.print(SummaryTable.text(result, metric));
        if (refit != null) out.println(refitLine(result.best().trialId(), refit));
    }

    /** {@code Refit of t017 on training + validation (23 epochs): test_rmse=0.9123 test_mae=0.7190}. */
    private static String refitLine(String trialId, TrialState refit) {
        if (refit.status != TrialState.Status.FINISHED) return "Refit of " + trialId + " failed: " + refit.failure;
        StringBuilder sb = new StringBuilder(String.format(java.util.Locale.ROOT,
                "Refit of %s on training + validation (%d epochs):", trialId, refit.epochsDone));
        refit.test.forEach((k, v) -> sb.append(String.format(java.util.Locale.ROOT, " test_%s=%s", k, v)));
        return sb.toString();
    }

    private static Map<String, double[][]> learningCurves(List<TrialState> trials, String metric) {
        Map<String, double[][]> curves = new LinkedHashMap<>();
        for (TrialState s : trials) {
            double[][] points = new double[s.history.size()][];
            for (int i = 0; i < points.length; i++) {
                var r = s.history.get(i);
                points[i] = new double[] {r.epoch, r.validation.getOrDefault(metric, Double.NaN)};
            }
            curves.put(s.trialId, points);
        }
        return curves;
    }

    static String experimentName(ExperimentSpec spec) {
        return spec.tracking().experiment() != null ? spec.tracking().experiment() : spec.name();
    }
}
