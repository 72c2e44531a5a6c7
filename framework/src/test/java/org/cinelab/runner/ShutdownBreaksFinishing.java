package org.cinelab.runner;

import org.cinelab.data.PreparedData;
import org.cinelab.models.ModelFactory;
import org.cinelab.models.TrialModel;
import org.cinelab.models.zoo.ModelRegistry;
import org.cinelab.space.Hyperparams;
import org.cinelab.spec.SpecLoader;
import org.cinelab.tracking.MlflowFileStore;

import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;

/**
 * A child process for {@link StopWhileFinishingTest}: runs a spec on biased-mf whose trials, once
 * trained, wait in their finishing step (test evaluation or model export, by {@code args[4]}) for
 * Ctrl-C and then fail the way the JVM's shutdown makes real finishing fail: ImageIO's temporary
 * files and new shutdown hooks are refused with "Shutdown in progress".
 * Args: spec, tracking folder, state folder, data folder, {@code evaluate|export}, marker file.
 */
final class ShutdownBreaksFinishing {
    public static void main(String[] args) throws Exception {
        var spec = SpecLoader.load(Path.of(args[0]));
        ModelFactory model = new Waiting(ModelRegistry.find("biased-mf").orElseThrow(), args[4].equals("export"), Path.of(args[5]));
        try (MlflowFileStore store = new MlflowFileStore(Path.of(args[1]))) {
            new ExperimentRunner(spec, store, new RunOptions(1, false, Path.of(args[3]), Path.of(args[2]),
                    new PrintWriter(System.out, true)), model).run();
            System.out.println("ended: finished");
        } catch (ExperimentRunner.InterruptedRunException e) {
            System.out.println("ended: interrupted");
        } catch (Exception e) {
            System.out.println("ended: failed: " + e);
        }
    }

    /** Tells the test it is finishing, then blocks until the JVM shuts down and throws what the shutdown causes. */
    private static void waitForShutdown(Path marker) {
        try {
            Files.writeString(marker, "finishing");
            while (true) {
                Thread probe = new Thread(() -> {});
                Runtime.getRuntime().addShutdownHook(probe); // refused once the JVM is shutting down
                Runtime.getRuntime().removeShutdownHook(probe);
                Thread.sleep(20);
            }
        } catch (IOException | InterruptedException e) {
            throw new IllegalStateException(e);
        }
    }

    /** The real model, waiting in its test evaluation or its export for the shutdown. */
    private static final class Waiting extends WrappedModel {
        private final boolean inExport;
        private final Path marker;

        Waiting(ModelFactory real, boolean inExport, Path marker) {
            super(real);
            this.inExport = inExport;
            this.marker = marker;
        }

        @Override
        public TrialModel create(Hyperparams params, PreparedData data, long seed) {
            return new DelegatingTrial(real.create(params, data, seed)) {
                @Override
                public Map<String, Double> evaluate(Split split) {
                    if (split == Split.TEST && !inExport) waitForShutdown(marker);
                    return m.evaluate(split);
                }

                @Override
                public void exportModel(Path dir) throws IOException {
                    if (inExport) {
                        try {
                            waitForShutdown(marker);
                        } catch (IllegalStateException e) {
                            throw new IOException("cannot write the model: " + e.getMessage(), e);
                        }
                    }
                    m.exportModel(dir);
                }
            };
        }
    }
}
