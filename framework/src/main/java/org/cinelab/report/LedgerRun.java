package org.cinelab.report;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.annotation.JsonPropertyOrder;

import java.util.List;
import java.util.Map;

/**
 * One run behind a study table, as committed in {@code results/runs/<report>.jsonl}: enough to recompute
 * every number of the table and its figures without the tracking store, and to say exactly how the run
 * was made (spec file and its SHA-256, commit, seed, data checksum and split, library versions, chosen
 * hyperparameters).
 *
 * @param usedBy          {@code row: LABEL} and {@code plot: FILE} entries of the report that read this run
 * @param role            {@code parent} (an execution: the table's metrics) or {@code child} (a trial)
 * @param seed            the execution's {@code --seed} ({@code cinelab.seed} of the parent run)
 * @param trialSeed       a child's own {@code cinelab.seed}
 * @param hyperparameters the model settings the run trained with (a parent: those of its best trial), read so
 *                        that both {@code model.x} + {@code x} logging and bare {@code x} logging give the same map
 * @param searched        the hyperparameters the search chose (the parent's {@code space.*} params)
 * @param params          the few params the report reads (objective, a child's {@code where} and plot keys)
 * @param metrics         each metric's final value (highest step, latest logged)
 * @param histories       per-step points {@code [step, timestamp, value]} of the metrics a search-progress figure reads
 * @param paper           published numbers read from the run's {@code spec.yaml} artifact ({@code paper:})
 */
@JsonInclude(JsonInclude.Include.NON_EMPTY)
@JsonPropertyOrder({"record", "used_by", "role", "run_id", "parent_run_id", "experiment", "spec", "seed", "trial_seed", "run_name", "status",
        "start_time", "spec_sha256", "commit", "dirty", "dataset_sha256", "split_id", "versions", "best_run_id", "hyperparameters",
        "searched", "params", "metrics", "histories", "paper"})
public record LedgerRun(
        @JsonProperty("record") String record,
        @JsonProperty("used_by") List<String> usedBy,
        @JsonProperty("role") String role,
        @JsonProperty("run_id") String runId,
        @JsonProperty("parent_run_id") String parentRunId,
        @JsonProperty("experiment") String experiment,
        @JsonProperty("spec") String spec,
        @JsonProperty("seed") Integer seed,
        @JsonProperty("trial_seed") Long trialSeed,
        @JsonProperty("run_name") String runName,
        @JsonProperty("status") String status,
        @JsonProperty("start_time") Long startTime,
        @JsonProperty("spec_sha256") String specSha256,
        @JsonProperty("commit") String commit,
        @JsonProperty("dirty") Boolean dirty,
        @JsonProperty("dataset_sha256") String datasetSha256,
        @JsonProperty("split_id") String splitId,
        @JsonProperty("versions") Map<String, String> versions,
        @JsonProperty("best_run_id") String bestRunId,
        @JsonProperty("hyperparameters") Map<String, String> hyperparameters,
        @JsonProperty("searched") List<String> searched,
        @JsonProperty("params") Map<String, String> params,
        @JsonProperty("metrics") Map<String, Double> metrics,
        @JsonProperty("histories") Map<String, List<double[]>> histories,
        @JsonProperty("paper") Map<String, Double> paper) {

    public static final String RECORD = "run";
    public static final String PARENT = "parent";
    public static final String CHILD = "child";

    public LedgerRun {
        usedBy = usedBy == null ? List.of() : List.copyOf(usedBy);
        versions = versions == null ? Map.of() : versions;
        hyperparameters = hyperparameters == null ? Map.of() : hyperparameters;
        searched = searched == null ? List.of() : List.copyOf(searched);
        params = params == null ? Map.of() : params;
        metrics = metrics == null ? Map.of() : metrics;
        histories = histories == null ? Map.of() : histories;
        paper = paper == null ? Map.of() : paper;
    }

    boolean isParent() { return PARENT.equals(role); }

    boolean usedBy(String use) { return usedBy.contains(use); }

    static String rowUse(String label) { return "row: " + label; }

    static String plotUse(String file) { return "plot: " + file; }

    /** This record also used by {@code use}. */
    LedgerRun withUse(String use) {
        if (usedBy.contains(use)) return this;
        List<String> uses = new java.util.ArrayList<>(usedBy);
        uses.add(use);
        return new LedgerRun(record, uses, role, runId, parentRunId, experiment, spec, seed, trialSeed, runName, status, startTime,
                specSha256, commit, dirty, datasetSha256, splitId, versions, bestRunId, hyperparameters, searched, params, metrics,
                histories, paper);
    }

    /** Both records of the same run: uses, params, histories and paper numbers united. */
    LedgerRun merge(LedgerRun other) {
        List<String> uses = new java.util.ArrayList<>(usedBy);
        other.usedBy.forEach(u -> { if (!uses.contains(u)) uses.add(u); });
        Map<String, String> p = new java.util.TreeMap<>(params);
        p.putAll(other.params);
        Map<String, List<double[]>> h = new java.util.TreeMap<>(histories);
        h.putAll(other.histories);
        Map<String, Double> pp = new java.util.TreeMap<>(paper);
        pp.putAll(other.paper);
        return new LedgerRun(record, uses, role, runId, parentRunId, experiment, spec != null ? spec : other.spec, seed, trialSeed, runName,
                status, startTime, specSha256, commit, dirty, datasetSha256, splitId, versions, bestRunId, hyperparameters, searched, p,
                metrics, h, pp);
    }
}
