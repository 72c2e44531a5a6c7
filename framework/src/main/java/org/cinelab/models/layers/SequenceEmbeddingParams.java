package org.cinelab.models.layers;

import org.deeplearning4j.nn.conf.layers.Layer;
import org.deeplearning4j.nn.params.EmbeddingLayerParamInitializer;

/**
 * DL4J's embedding parameters (W [nIn, nOut] column-major, initialised with fan-in 1, optional bias b)
 * for {@link SequenceEmbedding}: DL4J's initializer decides "has a bias" by the layer's class, so it
 * is told here.
 */
final class SequenceEmbeddingParams extends EmbeddingLayerParamInitializer {
    static final SequenceEmbeddingParams INSTANCE = new SequenceEmbeddingParams();
    static final String W = WEIGHT_KEY;
    static final String B = BIAS_KEY;

    private SequenceEmbeddingParams() {}

    @Override
    protected boolean hasBias(Layer layer) {
        return ((SequenceEmbedding) layer).hasBias();
    }
}
