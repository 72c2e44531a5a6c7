package org.cinelab.models.recsys;

import org.cinelab.models.dl4j.CrossLayers;
import org.deeplearning4j.nn.api.ParamInitializer;
import org.deeplearning4j.nn.conf.NeuralNetConfiguration;
import org.deeplearning4j.nn.conf.layers.Layer;
import org.deeplearning4j.nn.weights.WeightInit;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.indexing.NDArrayIndex;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Parameter layout of a {@link CrossNetworkLayer}: per cross layer {@code l}, {@code W<l>}
 * [width, width] (or {@code V<l>} [width, rank] and {@code U<l>} [rank, width]) then {@code b<l>}
 * [1, width], as views of the network's flat parameter (and gradient) array. Weights start Xavier,
 * biases at zero.
 */
final class CrossNetworkParams implements ParamInitializer {
    static final CrossNetworkParams INSTANCE = new CrossNetworkParams();

    private CrossNetworkParams() {}

    private record Shape(String key, long rows, long cols) {}

    private static List<Shape> shapes(Layer layer) {
        CrossNetworkLayer c = (CrossNetworkLayer) layer;
        List<Shape> s = new ArrayList<>();
        for (int l = 0; l < c.layers(); l++) {
            if (c.rank() == 0) {
                s.add(new Shape(CrossLayers.WEIGHT + l, c.width(), c.width()));
            } else {
                s.add(new Shape(CrossLayers.DOWN + l, c.width(), c.rank()));
                s.add(new Shape(CrossLayers.UP + l, c.rank(), c.width()));
            }
            s.add(new Shape(CrossLayers.BIAS + l, 1, c.width()));
        }
        return s;
    }

    @Override
    public long numParams(NeuralNetConfiguration conf) { return numParams(conf.getLayer()); }

    @Override
    public long numParams(Layer layer) { return shapes(layer).stream().mapToLong(s -> s.rows() * s.cols()).sum(); }

    @Override
    public List<String> paramKeys(Layer layer) { return shapes(layer).stream().map(Shape::key).toList(); }

    @Override
    public List<String> weightKeys(Layer layer) { return paramKeys(layer).stream().filter(k -> !k.startsWith(CrossLayers.BIAS)).toList(); }

    @Override
    public List<String> biasKeys(Layer layer) { return paramKeys(layer).stream().filter(k -> k.startsWith(CrossLayers.BIAS)).toList(); }

    @Override
    public boolean isWeightParam(Layer layer, String key) { return !key.startsWith(CrossLayers.BIAS); }

    @Override
    public boolean isBiasParam(Layer layer, String key) { return key.startsWith(CrossLayers.BIAS); }

    @Override
    public Map<String, INDArray> init(NeuralNetConfiguration conf, INDArray paramsView, boolean initializeParams) {
        Map<String, INDArray> views = views(conf.getLayer(), paramsView);
        if (initializeParams) {
            for (Map.Entry<String, INDArray> e : views.entrySet()) {
                INDArray p = e.getValue();
                if (e.getKey().startsWith(CrossLayers.BIAS)) p.assign(0);
                else WeightInit.XAVIER.getWeightInitFunction().init(p.size(0), p.size(1), p.shape(), 'f', p);
            }
        }
        return views;
    }

    @Override
    public Map<String, INDArray> getGradientsFromFlattened(NeuralNetConfiguration conf, INDArray gradientView) {
        return views(conf.getLayer(), gradientView);
    }

    private static Map<String, INDArray> views(Layer layer, INDArray flat) {
        INDArray row = flat.reshape(flat.length());
        Map<String, INDArray> m = new LinkedHashMap<>();
        long offset = 0;
        for (Shape s : shapes(layer)) {
            long n = s.rows() * s.cols();
            m.put(s.key(), row.get(NDArrayIndex.interval(offset, offset + n)).reshape('f', s.rows(), s.cols()));
            offset += n;
        }
        return m;
    }
}
