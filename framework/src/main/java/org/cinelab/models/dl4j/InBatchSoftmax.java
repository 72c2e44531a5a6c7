package org.cinelab.models.dl4j;

/**
 * The settings of an in-batch softmax loss (two-tower retrieval with in-batch negatives): what
 * {@link TowerTrainer} needs to compute the loss itself. Implemented by the recommenders' DL4J loss
 * function, which stays where exported models name it.
 */
public interface InBatchSoftmax {
    /** Scales loss and gradient (the multi-task weight). */
    double weight();

    /** TFRS's SUM reduction: the batch's losses summed rather than averaged. */
    boolean sumOverBatch();

    /** Each logit against movie b is corrected by − log q_b, q_b read from the first label column. */
    boolean logQCorrection();
}
