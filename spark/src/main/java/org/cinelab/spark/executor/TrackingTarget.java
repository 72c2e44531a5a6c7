package org.cinelab.spark.executor;

import java.io.Serializable;

/**
 * Where executors log, decided on the driver by {@link ExecutorTracking#plan} and sent with every
 * task: the tracking URI and, for a file store, the probe that proves an executor sees it.
 */
public record TrackingTarget(String uri, SharedPathProbe fileStoreProbe) implements Serializable {}
