package org.cinelab.report;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The runs behind one report, as committed beside its table in {@code results/runs/<report>.jsonl} (one
 * JSON object per line: {@link LedgerRun} records, and {@link UnavailableRuns} for rows whose runs are
 * gone). The table and figures are computed from this ledger only, so {@code cinelab report --check}
 * recomputes them from the repository without any tracking store.
 */
public final class RunLedger {
    static final ObjectMapper JSON = new ObjectMapper().configure(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES, true);

    private final List<LedgerRun> runs;
    private final List<UnavailableRuns> unavailable;

    RunLedger(List<LedgerRun> runs, List<UnavailableRuns> unavailable) {
        this.runs = List.copyOf(runs);
        this.unavailable = List.copyOf(unavailable);
    }

    static RunLedger empty() { return new RunLedger(List.of(), List.of()); }

    /** {@code <outDir>/runs/<report>.jsonl}. */
    public static Path fileFor(Path outDir, String reportName) { return outDir.resolve("runs").resolve(reportName + ".jsonl"); }

    public List<LedgerRun> runs() { return runs; }

    public List<UnavailableRuns> unavailable() { return unavailable; }

    /** Reads a ledger; a line that is not a known record fails naming {@code file:line}. A missing file is an empty ledger. */
    public static RunLedger read(Path file) throws IOException {
        if (!Files.exists(file)) return empty();
        List<LedgerRun> runs = new ArrayList<>();
        List<UnavailableRuns> gone = new ArrayList<>();
        List<String> lines = Files.readAllLines(file, StandardCharsets.UTF_8);
        for (int i = 0; i < lines.size(); i++) {
            String line = lines.get(i);
            if (line.isBlank()) continue;
            try {
                JsonNode node = JSON.readTree(line);
                String kind = node.path("record").asText("");
                switch (kind) {
                    case LedgerRun.RECORD -> runs.add(JSON.treeToValue(node, LedgerRun.class));
                    case UnavailableRuns.RECORD -> gone.add(JSON.treeToValue(node, UnavailableRuns.class));
                    default -> throw new ReportDefinitionException(file + ":" + (i + 1) + ": field 'record': '" + kind
                            + "', expected '" + LedgerRun.RECORD + "' or '" + UnavailableRuns.RECORD + "'");
                }
            } catch (JsonProcessingException e) {
                throw new ReportDefinitionException(file + ":" + (i + 1) + ": not a run record: " + e.getOriginalMessage());
            }
        }
        return new RunLedger(runs, gone);
    }

    /** Writes one record per line (parents before their children, in the order rows and plots use them), atomically. */
    public void write(Path file) throws IOException {
        Files.createDirectories(file.getParent());
        StringBuilder sb = new StringBuilder();
        for (UnavailableRuns u : unavailable) sb.append(JSON.writeValueAsString(u)).append('\n');
        for (LedgerRun r : runs) sb.append(JSON.writeValueAsString(r)).append('\n');
        Path tmp = file.resolveSibling(file.getFileName() + ".tmp");
        Files.writeString(tmp, sb, StandardCharsets.UTF_8);
        Files.move(tmp, file, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
    }

    /** Seed -> the parent run a row or plot uses for that seed. */
    Map<Integer, LedgerRun> parents(String use, String experiment) {
        Map<Integer, LedgerRun> out = new LinkedHashMap<>();
        runs.stream().filter(r -> r.isParent() && r.usedBy(use) && r.experiment().equals(experiment) && r.seed() != null)
                .sorted(Comparator.comparing(LedgerRun::seed)).forEach(r -> out.put(r.seed(), r));
        return out;
    }

    /** The child runs of a parent that a row or plot uses, by run name then id. */
    List<LedgerRun> children(String use, String parentRunId) {
        return runs.stream().filter(r -> !r.isParent() && r.usedBy(use) && parentRunId.equals(r.parentRunId()))
                .sorted(Comparator.comparing((LedgerRun r) -> String.valueOf(r.runName())).thenComparing(LedgerRun::runId)).toList();
    }

    Optional<UnavailableRuns> unavailable(String use) {
        return unavailable.stream().filter(u -> u.use().equals(use)).findFirst();
    }

    /** Records of these uses only. */
    RunLedger onlyFor(String use) {
        List<LedgerRun> kept = new ArrayList<>();
        for (LedgerRun r : runs) if (r.usedBy(use)) kept.add(r);
        return new RunLedger(kept, unavailable.stream().filter(u -> u.use().equals(use)).toList());
    }

    boolean has(String use) { return runs.stream().anyMatch(r -> r.usedBy(use)) || unavailable(use).isPresent(); }
}
