package org.cinelab.data;

import org.cinelab.data.SplitId;

import java.util.Map;

/**
 * The data of a model that needs none, such as a benchmark function whose "validation metric" is
 * the function's value: no rows, no files, one fixed identity.
 */
public record NoData() implements PreparedData {
    private static final Map<String, String> PARAMS = Map.of("dataset.name", NoDataset.NAME);
    /** SHA-256 of no bytes. */
    private static final String EMPTY_SHA256 = Checksums.sha256(new byte[0]);

    @Override
    public Map<String, String> params() { return PARAMS; }

    @Override
    public String dataSha256() { return EMPTY_SHA256; }

    @Override
    public String splitId() { return SplitId.of(EMPTY_SHA256, PARAMS); }
}
