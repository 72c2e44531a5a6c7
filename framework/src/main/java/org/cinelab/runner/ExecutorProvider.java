package org.cinelab.runner;

import org.cinelab.io.StateStorage;

import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.Optional;
import java.util.ServiceConfigurationError;
import java.util.ServiceLoader;

/**
 * A {@link TrialExecutor} that lives in another module (the spark module's), found by name on the
 * class path through {@link ServiceLoader}: {@code cinelab run --executor NAME}. The framework never
 * depends on that module; a class path without its jar simply has no provider of that name.
 */
public interface ExecutorProvider {
    /** The {@code --executor} name, e.g. {@code spark}. */
    String name();

    /**
     * Checks the options and starts what the executor needs (a Spark context), before any run is opened.
     *
     * @throws IllegalArgumentException for bad options, naming the option and what would be valid (exit 2)
     */
    Session open(Request request) throws IOException;

    /**
     * What the command line says about the executor.
     *
     * @param master          {@code --master}, or null
     * @param stateDir        {@code --state-dir} as given: a path or a URI (hdfs://, s3a://, file:)
     * @param sharedFileStore {@code --shared-file-store}: a file-store tracking URI is on storage every executor mounts
     * @param parallel        {@code --parallel}
     * @param appName         what the execution is called in the executor's UI
     */
    record Request(String master, String stateDir, boolean sharedFileStore, int parallel, String appName, PrintWriter out) {}

    /** An open executor; the command closes it once the execution has ended. */
    interface Session extends AutoCloseable {
        /** The state storage at a {@code --state-dir} URI that the framework cannot open itself (hdfs://, s3a://). */
        StateStorage stateStorage(String location) throws IOException;

        /**
         * The factory of the execution's executor, once the tracking URI and data folder are final
         * ({@code --resume} may take them from the stored state).
         *
         * @param trackingUri  as it will be opened
         * @param dataDir      the data folder the driver loads from
         * @param dataDirGiven the user named it ({@code --data-dir} or {@code CINELAB_DATA}), so it is meant to be shared
         * @throws IllegalArgumentException when executors cannot use them (exit 2)
         */
        TrialExecutor.Factory factory(String trackingUri, Path dataDir, boolean dataDirGiven) throws IOException;

        @Override
        void close();
    }

    /** The provider named {@code name} on the class path. */
    static Optional<ExecutorProvider> find(String name) {
        var providers = ServiceLoader.load(ExecutorProvider.class).iterator();
        for (int seen = 0; seen < 100; seen++) {
            try {
                if (!providers.hasNext()) return Optional.empty();
                ExecutorProvider p = providers.next();
                if (p.name().equals(name)) return Optional.of(p);
            } catch (ServiceConfigurationError e) {
                // a provider whose classes cannot load is no provider
            }
        }
        return Optional.empty();
    }
}
