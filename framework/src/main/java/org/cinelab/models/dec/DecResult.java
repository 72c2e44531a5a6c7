package org.cinelab.models.dec;

import java.util.Map;

/**
 * The outcome of DEC's clustering stage on the fitted titles.
 *
 * @param labels     each row's cluster (argmax of its soft assignment)
 * @param confidence each row's largest soft assignment
 * @param embedding  each row's refined embedding
 * @param centres    the refined cluster centres
 * @param metrics    silhouette, NMI/ARI against the reference labels, inertia, DEC loss, and the same
 *                   for the k-means initialisation (prefixed {@code kmeans_})
 */
record DecResult(ClusteringGraph graph, int[] labels, float[] confidence, float[][] embedding, float[][] centres,
                 Map<String, Double> metrics) {}
