package org.cinelab.spark;

import org.junit.jupiter.api.Test;

import java.io.File;
import java.nio.file.Path;

import static org.junit.jupiter.api.Assertions.assertEquals;

/** local-cluster executors start in their own working directory, so they get the driver's class path made absolute. */
class SparkConfsTest {
    @Test
    void relativeClassPathEntriesAndWildcardsBecomeAbsolute() {
        String cwd = Path.of("").toAbsolutePath().toString();
        String given = String.join(File.pathSeparator, "spark/target/cinelab-spark-all.jar", "/opt/spark/jars/*", "lib/*", "", "/a/b.jar");
        assertEquals(String.join(File.pathSeparator, cwd + "/spark/target/cinelab-spark-all.jar", "/opt/spark/jars/*", cwd + "/lib/*", "/a/b.jar"),
                SparkConfs.absoluteClassPath(given));
    }
}
