package org.cinelab.data;

import org.cinelab.space.HyperParameter;

import java.io.IOException;
import java.util.List;

/**
 * The one interface a dataset plugs in through: a name, the splits and options it understands
 * (so a spec is checked before any work), and a loader into {@link PreparedData}.
 */
public interface DatasetProvider {
    /** Name used in specs and on the command line, e.g. {@code movielens-100k}. */
    String name();

    /** The kind of data {@link #load} returns; models declare which kind they accept. */
    Class<? extends PreparedData> dataType();

    /** Split names a spec may give in {@code dataset.split}. */
    List<String> splits();

    /** Options a spec may give in {@code dataset.options}, with types, defaults and ranges. */
    List<HyperParameter> options();

    PreparedData load(DatasetRequest request) throws IOException;
}
