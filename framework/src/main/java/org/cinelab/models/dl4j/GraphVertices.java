package org.cinelab.models.dl4j;

import org.deeplearning4j.nn.conf.ComputationGraphConfiguration;
import org.deeplearning4j.nn.conf.graph.GraphVertex;
import org.deeplearning4j.nn.conf.graph.LayerVertex;
import org.deeplearning4j.nn.conf.layers.Layer;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/** Walking a ComputationGraph's configuration, for the layouts that read what a graph computes. */
final class GraphVertices {
    private GraphVertices() {}

    /** Vertex (or input) name -> the vertices that read it, in configuration order. */
    static Map<String, List<String>> consumers(ComputationGraphConfiguration conf) {
        Map<String, List<String>> consumers = new HashMap<>();
        conf.getVertexInputs().forEach((v, ins) -> ins.forEach(in -> consumers.computeIfAbsent(in, k -> new ArrayList<>()).add(v)));
        return consumers;
    }

    /** The one vertex that reads {@code vertex}; refused when there are none or several. */
    static String only(Map<String, List<String>> consumers, String vertex) throws DenseLayout.UnsupportedNetworkException {
        List<String> c = consumers.getOrDefault(vertex, List.of());
        if (c.size() != 1) throw new DenseLayout.UnsupportedNetworkException(vertex + " feeds " + c);
        return c.get(0);
    }

    /** The layer configuration of a layer vertex without preprocessor, else null. */
    static Layer layer(ComputationGraphConfiguration conf, String vertex) {
        GraphVertex v = conf.getVertices().get(vertex);
        if (!(v instanceof LayerVertex lv) || lv.getPreProcessor() != null) return null;
        return lv.getLayerConf().getLayer();
    }
}
