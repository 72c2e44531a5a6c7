package org.cinelab.models.dl4j;

/**
 * The settings of a DCN cross network ({@code x_{l+1} = x0 ⊙ (x_l W_l + b_l) + x_l}): what
 * {@link TowerLayout} and {@link CrossStage} need to train it. Implemented by the recommenders' DL4J
 * layer configuration, which stays where exported models name it (this package cannot see it).
 * Its parameters, per cross layer {@code l} and in this order, are {@code W<l>} ({@code [width, width]})
 * or {@code V<l>} ({@code [width, rank]}) and {@code U<l>} ({@code [rank, width]}), so
 * {@code W_l = V_l U_l}, then {@code b<l>} ({@code [1, width]}), all column-major.
 */
public interface CrossLayers {
    /** Parameter key prefixes, followed by the layer's index. */
    String WEIGHT = "W", DOWN = "V", UP = "U", BIAS = "b";

    /** Input and output width. */
    int width();

    /** Number of cross layers. */
    int layers();

    /** 0 for full matrices {@code W_l}, else the rank of {@code V_l U_l}. */
    int rank();
}
