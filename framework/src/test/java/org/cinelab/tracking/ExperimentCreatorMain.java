package org.cinelab.tracking;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;

/**
 * Test helper run in a separate JVM: {@code <root> <go-file> <name>...}. Prints {@code READY}, waits
 * until the go file exists (classes already loaded, so both JVMs start racing at once), then prints {@code name=id} for each getOrCreateExperiment call.
 */
public final class ExperimentCreatorMain {
    private ExperimentCreatorMain() {}

    public static void main(String[] args) throws Exception {
        MlflowFileStore store = new MlflowFileStore(Path.of(args[0]));
        Path go = Path.of(args[1]);
        store.findExperimentByName(args[1]);
        System.out.println("READY");
        System.out.flush();
        long deadline = System.nanoTime() + 60_000_000_000L;
        while (!Files.exists(go)) {
            if (System.nanoTime() > deadline) throw new IllegalStateException("no go signal " + go);
            Thread.onSpinWait();
        }
        for (int i = 2; i < args.length; i++) {
            System.out.println(args[i] + "=" + store.getOrCreateExperiment(args[i], Map.of()));
        }
        System.out.flush();
    }
}
