package org.cinelab.data;

import org.cinelab.models.HyperParameter;

import java.io.IOException;
import java.util.List;

/** MovieLens-100k. (Stub: being written.) */
public final class MovieLens100k implements DatasetProvider {
    public String name() { return "movielens-100k"; }
    public Class<? extends PreparedData> dataType() { return RatingSplits.class; }
    public List<String> splits() { return List.of("u1", "u2", "u3", "u4", "u5", "ua", "ub", "random"); }
    public List<HyperParameter> options() { return List.of(); }
    public PreparedData load(DatasetRequest request) throws IOException { throw new UnsupportedOperationException(); }
}
