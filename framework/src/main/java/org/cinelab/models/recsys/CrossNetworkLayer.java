package org.cinelab.models.recsys;

import org.cinelab.models.dl4j.CrossLayers;
import org.deeplearning4j.nn.api.ParamInitializer;
import org.deeplearning4j.nn.conf.NeuralNetConfiguration;
import org.deeplearning4j.nn.conf.inputs.InputType;
import org.deeplearning4j.nn.conf.layers.FeedForwardLayer;
import org.deeplearning4j.nn.conf.memory.LayerMemoryReport;
import org.deeplearning4j.optimize.api.TrainingListener;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.shade.jackson.annotation.JsonProperty;

import java.util.Collection;
import java.util.Map;

/**
 * Configuration of the cross network of DCN (Wang, Fu, Fu, Wang 2017; DCN-V2, Wang et al. 2021):
 * {@code layers} cross layers {@code x_{l+1} = x0 * (W_l x_l + b_l) + x_l} on the input {@code x0},
 * with {@code W_l} a full {@code width x width} matrix or, when {@code rank > 0}, the low-rank
 * product {@code U_l V_l^T}. A native DL4J layer with a hand-written backward pass
 * ({@link CrossNetwork}); every cross layer needs {@code x0}, which a stack of plain layers does
 * not carry. (A SameDiff layer was tried first: in DL4J 1.0.0-M2.1 its backward pass returned twice
 * the finite-difference gradient.)
 */
public final class CrossNetworkLayer extends FeedForwardLayer implements CrossLayers {
    @JsonProperty private int layers;
    @JsonProperty private int rank;

    /** For JSON deserialisation. */
    public CrossNetworkLayer() {}

    /**
     * @param width  input (and output) width, 0 to take it from the previous layer
     * @param layers number of cross layers
     * @param rank   0 for full matrices, else the rank of {@code U V^T}
     */
    public CrossNetworkLayer(int width, int layers, int rank) {
        if (layers < 1) throw new IllegalArgumentException("cross_layers must be >= 1, got " + layers);
        if (rank < 0) throw new IllegalArgumentException("cross_rank must be >= 0 (0 = full), got " + rank);
        this.layers = layers;
        this.rank = rank;
        setNIn(width);
        setNOut(width);
    }

    @Override
    public void setNIn(InputType inputType, boolean override) {
        if (getNIn() <= 0 || override) {
            long width = ((InputType.InputTypeFeedForward) inputType).getSize();
            setNIn(width);
            setNOut(width);
        }
    }

    @Override
    public org.deeplearning4j.nn.api.Layer instantiate(NeuralNetConfiguration conf, Collection<TrainingListener> listeners,
                                                         int layerIndex, INDArray layerParamsView, boolean initializeParams,
                                                         DataType networkDataType) {
        CrossNetwork layer = new CrossNetwork(conf, networkDataType);
        layer.setListeners(listeners);
        layer.setIndex(layerIndex);
        layer.setParamsViewArray(layerParamsView);
        Map<String, INDArray> table = initializer().init(conf, layerParamsView, initializeParams);
        layer.setParamTable(table);
        layer.setConf(conf);
        return layer;
    }

    @Override
    public ParamInitializer initializer() { return CrossNetworkParams.INSTANCE; }

    @Override
    public LayerMemoryReport getMemoryReport(InputType inputType) {
        return new LayerMemoryReport.Builder(layerName, CrossNetworkLayer.class, inputType, inputType)
                .standardMemory(CrossNetworkParams.INSTANCE.numParams(this), 0)
                .workingMemory(0, 0, 0, 0)
                .cacheMemory(0, 0)
                .build();
    }

    @Override
    public int width() { return (int) getNIn(); }

    @Override
    public int layers() { return layers; }

    @Override
    public int rank() { return rank; }

    /** Multiply-adds per example, for throughput figures. */
    public long multiplyAdds() {
        long perLayer = rank == 0 ? (long) width() * width() : 2L * width() * rank;
        return layers * (perLayer + 2L * width());
    }
}
