package org.cinelab.spark;

import org.cinelab.runner.ExecutorProvider;

import java.io.IOException;

/**
 * {@code cinelab run --executor spark}, found by the CLI through {@link java.util.ServiceLoader}. It
 * names no Spark class itself, so that a class path with CineLab's Spark jar but without Spark (the jar
 * started with {@code java -jar} instead of {@code spark-submit}) gets a clear message, not a linkage error.
 */
public final class SparkExecutorProvider implements ExecutorProvider {
    static final String NO_SPARK = "--executor spark: Apache Spark is not on the class path. Start CineLab's Spark jar through "
            + "spark-submit, e.g. spark-submit --master local[2] --class org.cinelab.cli.Main cinelab-spark-all.jar run SPEC "
            + "--executor spark (see docs/spark.md)";

    @Override
    public String name() { return "spark"; }

    @Override
    public Session open(Request request) throws IOException {
        try {
            Class.forName("org.apache.spark.SparkContext", false, SparkExecutorProvider.class.getClassLoader());
        } catch (ClassNotFoundException | LinkageError e) {
            throw new IllegalArgumentException(NO_SPARK);
        }
        return SparkExecution.open(request);
    }
}
