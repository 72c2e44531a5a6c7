package org.cinelab.data;

import org.cinelab.space.HyperParameter;

import java.util.List;

/**
 * {@code dataset: {name: none}}: for models that compute their metrics without data (the
 * {@code benchmark-function} model), so that samplers and schedulers can be measured in seconds.
 * No splits, no options, nothing read.
 */
public final class NoDataset implements DatasetProvider {
    public static final String NAME = "none";

    @Override
    public String name() { return NAME; }

    @Override
    public Class<? extends PreparedData> dataType() { return NoData.class; }

    @Override
    public List<String> splits() { return List.of(); }

    @Override
    public List<HyperParameter> options() { return List.of(); }

    @Override
    public PreparedData load(DatasetRequest request) { return new NoData(); }
}
