package org.cinelab.report;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.annotation.JsonPropertyOrder;

import java.util.Map;

/**
 * A line of {@code results/runs/<report>.jsonl} saying that a row's or figure's runs are gone: an earlier
 * table showed numbers ({@code earlierTable}, with the parent runs it named) but the store that held the runs
 * is not available, so no record of them can be committed. The table says "runs not available" and how to
 * regenerate them instead of showing numbers nobody can check.
 *
 * @param use           {@code row: LABEL} or {@code plot: FILE}
 * @param earlierTable  where the unverifiable numbers were, e.g. {@code results/s3-autoencoder.md at 0044d49}
 * @param earlierRuns   seed -> parent run id named there
 */
@JsonInclude(JsonInclude.Include.NON_EMPTY)
@JsonPropertyOrder({"record", "use", "reason", "earlier_table", "earlier_runs"})
public record UnavailableRuns(
        @JsonProperty("record") String record,
        @JsonProperty("use") String use,
        @JsonProperty("reason") String reason,
        @JsonProperty("earlier_table") String earlierTable,
        @JsonProperty("earlier_runs") Map<String, String> earlierRuns) {

    public static final String RECORD = "unavailable";

    public UnavailableRuns {
        earlierRuns = earlierRuns == null ? Map.of() : earlierRuns;
    }
}
