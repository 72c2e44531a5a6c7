package org.cinelab.report;

import org.cinelab.report.ReportDefinition.Metric;
import org.cinelab.report.ReportDefinition.Plot;
import org.cinelab.report.ReportDefinition.Row;
import org.cinelab.report.ReportDefinition.Search;
import org.cinelab.tracking.MetricPoint;
import org.cinelab.tracking.RunInfo;

import java.io.IOException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.function.Consumer;

/**
 * Builds a report's {@link RunLedger} from a tracking store, seed by seed: the latest FINISHED execution
 * of each row's experiment, the child runs its metrics and figures read, and for every run its
 * provenance, chosen hyperparameters and final metrics. A seed the store has no run for keeps the
 * committed ledger's run (so a fresh clone does not wipe a table), and every run that replaces a committed
 * one is announced, never swapped silently.
 */
final class LedgerBuilder {
    private static final Map<String, String> VERSION_TAGS = Map.of("cinelab.version", "cinelab", "cinelab.java_version", "java",
            "cinelab.dl4j_version", "dl4j", "cinelab.nd4j_version", "nd4j", "cinelab.tribuo_version", "tribuo",
            "cinelab.omp_num_threads", "omp_num_threads", "cinelab.openblas_coretype", "openblas_coretype",
            "cinelab.parallel_trials", "parallel_trials");
    private static final List<String> PARENT_PARAMS = List.of("objective.metric", "objective.mode", "search.early_stopping.patience",
            "search.refit");

    private final ReportDefinition def;
    private final StoreReader store;
    private final RunLedger committed;
    private final Consumer<String> notices;
    private final Map<String, LedgerRun> byId = new LinkedHashMap<>();
    private final List<UnavailableRuns> gone = new ArrayList<>();

    LedgerBuilder(ReportDefinition def, StoreReader store, RunLedger committed, Consumer<String> notices) {
        this.def = def;
        this.store = store;
        this.committed = committed;
        this.notices = notices;
    }

    RunLedger build() throws IOException {
        for (Row row : def.rows()) {
            Set<String> whereKeys = new java.util.TreeSet<>();
            row.metrics().forEach(m -> whereKeys.addAll(m.where().keySet()));
            boolean children = row.metrics().stream().anyMatch(m -> m.run() == ReportDefinition.RunKind.CHILD);
            seeds(LedgerRun.rowUse(row.label()), row.experiment(), row.spec(), row.seeds(), row.metrics(), row.data().keySet(),
                    children ? Children.matching(row.metrics(), whereKeys) : Children.NONE);
        }
        for (Plot plot : def.plots()) {
            String use = LedgerRun.plotUse(plot.file());
            if (plot.kind() == ReportDefinition.PlotKind.POINTS) {
                seeds(use, plot.experiment(), plot.spec(), def.seeds(), List.of(), Set.of(), Children.finished(Set.of(plot.x())));
            } else {
                int seed = plot.seed() != null ? plot.seed() : def.seeds().get(0);
                for (Search s : plot.searches()) {
                    seeds(use, s.experiment(), s.spec(), List.of(seed), List.of(), Set.of(), Children.withHistory(plot.objective()));
                }
            }
        }
        return new RunLedger(new ArrayList<>(byId.values()), gone);
    }

    /** Which child runs a use reads: none, those matching the metrics' where, every finished one, or every one with its history. */
    private record Children(String kind, List<Metric> metrics, Set<String> params, String objective) {
        static final Children NONE = new Children("none", List.of(), Set.of(), null);

        static Children matching(List<Metric> metrics, Set<String> whereKeys) { return new Children("where", metrics, whereKeys, null); }

        static Children finished(Set<String> params) { return new Children("finished", List.of(), params, null); }

        /** {@code objective} null: the parent's objective.metric. */
        static Children withHistory(String objective) { return new Children("history", List.of(), Set.of(), objective); }
    }

    /**
     * For each seed, the store's latest finished parent (and the children the use reads), else the
     * committed one; when neither has any run of the use, the committed "runs not available" line stays.
     */
    private void seeds(String use, String experiment, String spec, List<Integer> seeds, List<Metric> metrics, Set<String> parentKeys,
                       Children children) throws IOException {
        Map<Integer, RunInfo> latest = store.latestParents(experiment, seeds);
        Map<Integer, LedgerRun> before = committed.parents(use, experiment);
        boolean anyNew = !latest.isEmpty();
        for (int seed : seeds) {
            RunInfo parent = latest.get(seed);
            LedgerRun old = before.get(seed);
            if (parent == null) {
                if (old != null) {
                    keepCommitted(use, old);
                    if (anyNew) notices.accept(use + " (" + experiment + ") seed " + seed + ": no finished run in the store; the committed run "
                            + old.runId() + " is kept");
                }
                continue;
            }
            if (old != null && !old.runId().equals(parent.runId())) {
                notices.accept(use + " (" + experiment + ") seed " + seed + ": run " + old.runId() + " in the committed ledger is replaced by "
                        + parent.runId() + " (the latest finished one in the store)");
            }
            Map<String, String> parentParams = store.params(parent);
            add(parentRecord(parent, use, experiment, spec, seed, parentParams, parentKeys, metrics));
            switch (children.kind()) {
                case "history" -> {
                    String objective = children.objective() != null ? children.objective() : parentParams.getOrDefault("objective.metric", "loss");
                    for (RunInfo child : store.allChildren(experiment, parent)) {
                        add(childRecord(child, use, experiment, spec, seed, Set.of(), "val_" + objective));
                    }
                }
                case "finished" -> {
                    for (RunInfo child : store.children(experiment, parent)) add(childRecord(child, use, experiment, spec, seed, children.params(), null));
                }
                case "where" -> {
                    List<RunInfo> chosen = new ArrayList<>();
                    for (Metric m : children.metrics()) {
                        if (m.run() != ReportDefinition.RunKind.CHILD) continue;
                        for (RunInfo c : store.matchingChildren(experiment, parent, m.where())) if (!chosen.contains(c)) chosen.add(c);
                    }
                    for (RunInfo child : chosen) add(childRecord(child, use, experiment, spec, seed, children.params(), null));
                }
                default -> { }
            }
        }
        if (!anyNew && before.isEmpty()) committed.unavailable(use).ifPresent(gone::add);
    }

    private void keepCommitted(String use, LedgerRun parent) {
        add(parent.withUse(use));
        for (LedgerRun child : committed.children(use, parent.runId())) add(child);
    }

    private void add(LedgerRun run) {
        byId.merge(run.runId(), run, LedgerRun::merge);
    }

    private LedgerRun parentRecord(RunInfo parent, String use, String experiment, String spec, int seed, Map<String, String> params,
                                   Set<String> extraKeys, List<Metric> metrics)
            throws IOException {
        Map<String, String> tags = store.tags(parent);
        String best = tags.get("cinelab.best_run_id");
        Map<String, String> chosen = ChosenHyperparameters.of(params);
        if (best != null) {
            try {
                chosen = ChosenHyperparameters.of(store.params(new RunInfo(best, parent.experimentId(), null, null, null, 0, null, null, null)));
            } catch (IOException | RuntimeException unreadable) {
                notices.accept(use + ": best trial run " + best + " of " + parent.runId() + " cannot be read; hyperparameters from the parent");
            }
        }
        Map<String, String> kept = new TreeMap<>();
        for (String k : PARENT_PARAMS) if (params.containsKey(k)) kept.put(k, params.get(k));
        for (String k : extraKeys) if (params.containsKey(k)) kept.put(k, params.get(k));
        Map<String, Double> paper = new TreeMap<>();
        for (Metric m : metrics) {
            if (m.paperKey() == null) continue;
            Double v = store.paperFromSpec(parent, m.paperKey());
            if (v != null) paper.put(m.paperKey(), v);
        }
        return new LedgerRun(LedgerRun.RECORD, List.of(use), LedgerRun.PARENT, parent.runId(), null, experiment, spec, seed,
                null, parent.runName(), parent.status().name(), parent.startTimeMs(), tags.get("cinelab.spec_sha256"),
                tags.get("mlflow.source.git.commit"), dirty(tags), tags.get("cinelab.dataset_sha256"), tags.get("cinelab.split_id"),
                versions(tags), best, chosen, ChosenHyperparameters.searched(params), kept, store.finalMetrics(parent), null, paper);
    }

    private LedgerRun childRecord(RunInfo child, String use, String experiment, String spec, int seed, Set<String> paramKeys, String historyKey)
            throws IOException {
        Map<String, String> tags = store.tags(child);
        Map<String, String> params = store.params(child);
        Map<String, String> kept = new TreeMap<>();
        for (String k : paramKeys) if (params.containsKey(k)) kept.put(k, params.get(k));
        Map<String, List<double[]>> histories = new TreeMap<>();
        if (historyKey != null) {
            List<double[]> points = new ArrayList<>();
            for (MetricPoint p : store.history(child, historyKey)) points.add(new double[] {p.step(), p.timestampMs(), p.value()});
            if (!points.isEmpty()) histories.put(historyKey, points);
        }
        Long trialSeed = null;
        try {
            if (tags.containsKey("cinelab.seed")) trialSeed = Long.parseLong(tags.get("cinelab.seed"));
        } catch (NumberFormatException notANumber) {
            trialSeed = null;
        }
        return new LedgerRun(LedgerRun.RECORD, List.of(use), LedgerRun.CHILD, child.runId(), tags.get(StoreReader.PARENT_TAG),
                experiment, spec, seed, trialSeed, child.runName(), child.status().name(), child.startTimeMs(),
                tags.get("cinelab.spec_sha256"), tags.get("mlflow.source.git.commit"), dirty(tags), tags.get("cinelab.dataset_sha256"),
                tags.get("cinelab.split_id"), Map.of(), null, ChosenHyperparameters.of(params), List.of(), kept, store.finalMetrics(child),
                histories, null);
    }

    private static Boolean dirty(Map<String, String> tags) {
        String d = tags.get("mlflow.source.git.dirty");
        return d == null ? null : Boolean.valueOf(d);
    }

    private static Map<String, String> versions(Map<String, String> tags) {
        Map<String, String> out = new TreeMap<>();
        VERSION_TAGS.forEach((tag, name) -> { if (tags.containsKey(tag)) out.put(name, tags.get(tag)); });
        return out;
    }
}
