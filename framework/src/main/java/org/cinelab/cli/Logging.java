package org.cinelab.cli;

import java.util.List;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * Library logging for the command line. ND4J and DL4J announce their backend, BLAS vendor and
 * workspace modes at INFO (about 15 lines in the middle of a run's output), Tribuo logs through
 * java.util.logging: by default only their warnings show; {@code --verbose} shows their INFO lines
 * and CineLab's own debug lines (e.g. each retried request to a tracking server). ND4J's op import
 * table warns of its own duplicate TensorFlow op names whenever a SameDiff graph is first built (DEC's
 * refinement): nothing a user can act on, so those show with {@code --verbose} only.
 */
final class Logging {
    static final String VERBOSE_OPTION = "--verbose";

    /** Held so that the level set on it is not lost when java.util.logging drops an unreferenced logger. */
    private static final Logger TRIBUO = Logger.getLogger("org.tribuo");

    private Logging() {}

    /** Must run before the first slf4j logger is created: slf4j-simple reads these properties once. */
    static void configure(List<String> args) {
        boolean verbose = args.contains(VERBOSE_OPTION);
        setDefault("org.slf4j.simpleLogger.defaultLogLevel", verbose ? "info" : "warn");
        setDefault("org.slf4j.simpleLogger.log.org.cinelab", verbose ? "debug" : "info");
        setDefault("org.slf4j.simpleLogger.log.org.nd4j.imports.converters.ImportClassMapping", verbose ? "info" : "error");
        TRIBUO.setLevel(verbose ? Level.INFO : Level.WARNING);
    }

    /** A -D given on the java command line (CINELAB_JAVA_OPTS) wins. */
    private static void setDefault(String key, String value) {
        if (System.getProperty(key) == null) System.setProperty(key, value);
    }
}
